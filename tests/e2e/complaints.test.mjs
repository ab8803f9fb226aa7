// Complaints (pengaduan) in Bahasa Indonesia in Chromium: the demo citizen signs in, fills the
// report form (a live character count, a pin dropped by clicking the map and moved with "use my
// location", "similar reports near you" for that place, the region picker down to the village),
// sends it and lands on the status page with the tracking number and the timeline; the public
// list with its map of pins (no tile server configured: a plain background, nothing fetched
// from elsewhere), a pin's popup leading to its report, and the list without JavaScript. Every
// page passes axe.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, assertScriptsDisabled, collapse, h1Text } from './support/browser.mjs';
import { sourceDir } from './support/server.mjs';

const HTML_CSS_BUDGET_BYTES = 50 * 1024;
const CITIZEN = { login: 'warga@demo.balai.id', password: 'kereta api lewat tengah kota' };
// The demo's damaged road (src/modules/complaints/demo.cpp): an open report, so a new one at
// the same place is offered it as a similar report.
const DEMO_ROAD = { latitude: -7.6291, longitude: 111.5253 };
const REPORT = {
  title: 'Lubang di depan SD Oro-oro Ombo',
  description: 'Lubang selebar satu meter di tengah jalan. Sudah dua motor jatuh minggu ini.',
  district: '35.77.01',
  village: '35.77.01.1001',
  address: 'Jl. Pahlawan depan SD',
};

/** Module catalogs (web/i18n/<module>/<lang>.json) merged over the main one. */
async function catalog(base, lang) {
  const merged = { ...base };
  for (const module of ['identity', 'regions', 'complaints']) {
    const file = path.join(sourceDir(), 'web', 'i18n', module, `${lang}.json`);
    Object.assign(merged, JSON.parse(await readFile(file, 'utf8')));
  }
  return merged;
}

/** Runs a click that submits or follows, waits for the page, returns the document responses. */
async function navigate(page, action) {
  const responses = [];
  const onResponse = (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) responses.push(response);
  };
  page.on('response', onResponse);
  try {
    await Promise.all([page.waitForEvent('load'), action()]);
  } finally {
    page.off('response', onResponse);
  }
  assert.ok(responses.length > 0, `a document was loaded (now at ${page.url()})`);
  return { first: responses[0], last: responses.at(-1), all: responses };
}

async function signIn(page, t) {
  await page.goto('/masuk?lang=id');
  const main = page.getByRole('main');
  await main.getByLabel(t.auth.login_label, { exact: true }).fill(CITIZEN.login);
  await main.getByLabel(t.auth.password_label, { exact: true }).fill(CITIZEN.password);
  await navigate(page, () => main.getByRole('button', { name: t.auth.sign_in_button, exact: true }).click());
  assert.equal(new URL(page.url()).pathname, '/akun', 'the demo citizen is signed in');
}

/** Collects what the page's scripts got wrong: uncaught errors and CSP refusals. */
function watchScripts(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  return problems;
}

/** HTML + CSS transferred for the page's document and stylesheets. */
async function transferred(requests) {
  let total = 0;
  for (const request of requests.filter((r) => ['document', 'stylesheet'].includes(r.resourceType()))) {
    const sizes = await request.sizes();
    total += sizes.responseHeadersSize + sizes.responseBodySize;
  }
  return total;
}

describe('complaints', () => {
  const balai = useBalai();
  const i18n = {};

  before(async () => {
    i18n.id = await catalog(balai.i18n.id, 'id');
  });

  it('the demo citizen reports a damaged road with a pin and a village, and sees its status', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const t = i18n.id;
    const context = await balai.newContext({ geolocation: DEMO_ROAD, permissions: ['geolocation'] });
    const page = await context.newPage();
    const problems = watchScripts(page);
    await signIn(page, t);

    // The public list leads to the form.
    await page.goto('/pengaduan');
    await navigate(page, () => page.getByRole('main').getByRole('link', { name: t.complaints.list.new_button, exact: true }).click());
    assert.equal(new URL(page.url()).pathname, '/pengaduan/baru');
    assert.equal(await h1Text(page), t.complaints.form.heading);
    const main = page.getByRole('main');
    const map = page.locator('#place-map');
    await map.locator('.leaflet-control-zoom-in').waitFor();
    assert.ok(await map.isVisible(), 'the map is drawn with JavaScript');
    const privacy = main.getByRole('link', { name: t.complaints.form.privacy_link, exact: true });
    assert.equal(await privacy.getAttribute('href'), '/layanan/pengaduan/privasi');
    await assertNoAxeViolations(page, '/pengaduan/baru');

    // Sent empty: 422, the summary links each problem to its field.
    const refused = await navigate(page, () => main.getByRole('button', { name: t.complaints.form.submit, exact: true }).click());
    assert.equal(refused.first.status(), 422);
    const summary = page.getByRole('alert');
    const toCategory = summary.getByRole('link', { name: t.complaints.errors.category.required, exact: true });
    assert.equal(await toCategory.getAttribute('href'), '#category');
    assert.equal(await summary.getByRole('link', { name: t.complaints.errors.description.required, exact: true }).getAttribute('href'), '#description');
    assert.equal(await summary.getByRole('link', { name: t.complaints.errors.village_code.required, exact: true }).getAttribute('href'), '#lokasi-district');
    await map.locator('.leaflet-control-zoom-in').waitFor();
    await assertNoAxeViolations(page, '/pengaduan/baru with errors');
    await toCategory.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'category', 'the summary link moves focus to the field');

    // What happened and where.
    assert.ok(await main.getByLabel(t.complaints.form.kind_pengaduan, { exact: true }).isChecked(), 'a complaint by default');
    await main.getByLabel(t.complaints.form.category_label, { exact: true }).selectOption('jalan-rusak');
    await main.getByLabel(t.complaints.form.title_label, { exact: true }).fill(REPORT.title);
    const description = main.getByLabel(t.complaints.form.description_label, { exact: true });
    await description.fill(REPORT.description);
    const left = t.complaints.form.count_left.replace('{n}', new Intl.NumberFormat('id-ID').format(4000 - REPORT.description.length));
    await page.locator('#description-count', { hasText: left }).waitFor();

    // A pin by clicking the map: the hidden fields are filled and the page says so.
    await map.click();
    const status = page.locator('[data-pin-status]');
    await status.filter({ hasText: t.complaints.map.pin_set.split('{lat}')[0] }).waitFor();
    assert.match(await page.locator('#lat').inputValue(), /^-7\.\d{6}$/);
    assert.match(await page.locator('#lon').inputValue(), /^111\.\d{6}$/);

    // "Use my location" moves it to the demo road's place: a similar open report is offered.
    await main.getByRole('button', { name: t.complaints.map.pin_locate, exact: true }).click();
    await status.filter({ hasText: '-7.629100, 111.525300' }).waitFor();
    const nearby = page.getByRole('region', { name: t.complaints.nearby.heading });
    await nearby.waitFor();
    assert.ok((await nearby.getByRole('button', { name: t.complaints.nearby.support_button, exact: true }).count()) >= 1);
    assert.ok(collapse(await nearby.textContent()).includes('Lubang besar di tengah jalan'), 'the demo road is offered');
    await assertNoAxeViolations(page, '/pengaduan/baru with a pin and similar reports');

    // The village too, through the region picker (filled by JavaScript), and a landmark.
    await main.getByLabel(t.regions.picker.district, { exact: true }).selectOption(REPORT.district);
    const village = main.getByLabel(t.regions.picker.village, { exact: true });
    await village.locator(`option[value="${REPORT.village}"]`).waitFor({ state: 'attached' });
    await village.selectOption(REPORT.village);
    await main.getByLabel(t.complaints.form.address_label, { exact: true }).fill(REPORT.address);
    await main.getByLabel(t.complaints.form.channel_none, { exact: true }).check();

    const sent = await navigate(page, () => main.getByRole('button', { name: t.complaints.form.submit, exact: true }).click());
    assert.equal(sent.first.status(), 303);
    assert.equal(sent.last.status(), 200);
    const url = new URL(page.url());
    assert.match(url.pathname, /^\/pengaduan\/ADU-\d{4}-\d{6}$/);
    assert.equal(url.search, '?ok=submitted');
    const tracking = url.pathname.split('/').pop();
    assert.equal(collapse(await page.locator('#tracking').textContent()), tracking, 'the tracking number, big');
    assert.equal(collapse(await page.getByRole('status').first().textContent()), t.complaints.report.ok.submitted);
    assert.equal(await h1Text(page), REPORT.title);
    assert.equal(collapse(await page.locator('[data-status]').textContent()), t.complaints.status.submitted);
    const timeline = page.locator('[data-timeline] li');
    assert.equal(await timeline.count(), 1);
    assert.ok(collapse(await timeline.first().textContent()).startsWith(t.complaints.event.submitted));
    assert.ok(collapse(await page.getByRole('main').textContent()).includes('Oro-oro Ombo, Kartoharjo'));
    await page.getByRole('button', { name: t.complaints.report.copy, exact: true }).waitFor();
    await assertNoAxeViolations(page, 'the new report');

    // It is first in "my reports".
    await page.goto('/pengaduan/saya');
    assert.equal(await page.locator('[data-my-complaint]').first().getAttribute('data-my-complaint'), tracking);
    await assertNoAxeViolations(page, '/pengaduan/saya');
    assert.deepEqual(problems, [], 'no script errors or CSP refusals');
    await context.close();
  });

  it('the public list shows its reports on a map without fetching anything from elsewhere', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id;
    const context = await balai.newContext();
    const page = await context.newPage();
    const problems = watchScripts(page);
    const requests = [];
    page.on('request', (request) => requests.push(request));
    const response = await page.goto('/pengaduan', { waitUntil: 'networkidle' });
    assert.equal(response.status(), 200);
    assert.equal(await h1Text(page), t.complaints.list.heading);
    const map = page.getByRole('region', { name: t.complaints.map.list_label, exact: true });
    const pins = map.locator('.leaflet-marker-icon');
    await pins.first().waitFor();
    const listed = await page.locator('[data-complaint][data-lat]').count();
    assert.ok(listed >= 4, 'the demo reports have places');
    assert.equal(await pins.count(), listed, 'one pin per listed report with a place');
    assert.equal(await map.locator('.leaflet-tile').count(), 0, 'no tile server: a plain background');
    await assertNoAxeViolations(page, '/pengaduan');

    const foreign = requests.map((r) => r.url()).filter((u) => !u.startsWith(`${balai.origin}/`));
    assert.deepEqual(foreign, [], `requests leaving ${balai.origin}`);
    const total = await transferred(requests);
    assert.ok(total < HTML_CSS_BUDGET_BYTES, `HTML + CSS of /pengaduan is ${total} B, budget ${HTML_CSS_BUDGET_BYTES} B`);

    // A pin's popup leads to its report (keyboard: focus the pin, Enter).
    const first = pins.first();
    const title = await first.getAttribute('alt');
    await first.focus();
    await page.keyboard.press('Enter');
    const link = map.locator('.leaflet-popup-content a');
    await link.waitFor();
    assert.equal(collapse(await link.textContent()), title);
    await assertNoAxeViolations(page, '/pengaduan with a popup open');
    await navigate(page, () => link.click());
    assert.match(new URL(page.url()).pathname, /^\/pengaduan\/ADU-\d{4}-\d{6}$/);
    assert.equal(await h1Text(page), title);
    await assertNoAxeViolations(page, 'a demo report');

    // The statistics.
    await page.goto('/pengaduan/statistik');
    assert.equal(await h1Text(page), t.complaints.stats.heading);
    assert.ok((await page.locator('svg.complaint-chart__svg[role="img"]').count()) >= 4);
    await assertNoAxeViolations(page, '/pengaduan/statistik');
    for (const target of ['/pengaduan?lang=en', '/pengaduan/statistik?lang=en']) {
      assert.equal((await page.goto(target, { waitUntil: 'networkidle' })).status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await assertNoAxeViolations(page, target);
    }
    assert.deepEqual(problems, [], 'no script errors or CSP refusals');
    await context.close();
  });

  it('without JavaScript the list is the content and the map is absent', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id;
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();
    await page.goto('/pengaduan?category=jalan-rusak');
    assert.equal(await page.locator('[data-map-section]').isVisible(), false);
    assert.ok((await page.locator('[data-complaint]').count()) >= 1);
    assert.equal(await page.locator('#filter-category').inputValue(), 'jalan-rusak');
    assert.ok(collapse(await page.locator('.complaint-count').textContent()).endsWith(t.complaints.list.total.split('{n}')[1]));
    await context.close();
  });
});
