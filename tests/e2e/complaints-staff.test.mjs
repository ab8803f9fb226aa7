// The officers' complaint pages in a real browser: the demo officer of the public works office
// (dpupr) signs in (enrolling TOTP on the way), adds an answer template, finds the demo's
// damaged-road report in the queue through the filter, opens its work page, fills the answer
// from the template (complaint-templates.js does it when the template is chosen) and sends the
// follow-up. axe finds no WCAG 2.1 A/AA violations on the queue, the templates page or the work
// page (before and after the follow-up, and with a refused empty answer). The same work page
// without JavaScript fills the answer through "Gunakan templat".

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, assertScriptsDisabled, collapse, h1Text } from './support/browser.mjs';
import { sourceDir } from './support/server.mjs';
import { totpCode, totpStep } from './support/totp.mjs';

const OFFICER = { login: 'pupr@demo.balai.id', password: 'jalan mulus aspal baru hitam' };
const TEMPLATE = {
  title: 'Dijadwalkan minggu ini',
  body: 'Terima kasih atas laporannya. Tim lapangan kami menjadwalkan perbaikan minggu ini.',
};

/** The strings of the complaints_staff catalog (web/i18n/complaints_staff/<lang>.json). */
async function staffText(lang) {
  const file = path.join(sourceDir(), 'web', 'i18n', 'complaints_staff', `${lang}.json`);
  return JSON.parse(await readFile(file, 'utf8')).complaints_staff;
}

/** Runs action (a submit or a click) and returns the first and last document responses. */
async function navigate(page, action) {
  const responses = [];
  const onResponse = (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
      responses.push(response);
    }
  };
  page.on('response', onResponse);
  try {
    await Promise.all([page.waitForEvent('load'), action()]);
  } finally {
    page.off('response', onResponse);
  }
  assert.ok(responses.length > 0, `a document was loaded (now at ${page.url()})`);
  return { first: responses[0], last: responses.at(-1) };
}

/** Signs the demo officer in through the forms, enrolling TOTP the first time. */
async function signInAsOfficer(page, t, state) {
  await page.goto('/masuk');
  const main = page.getByRole('main');
  await main.getByLabel(t.auth.login_label, { exact: true }).fill(OFFICER.login);
  await main.getByLabel(t.auth.password_label, { exact: true }).fill(OFFICER.password);
  await navigate(page, () => main.getByRole('button', { name: t.auth.sign_in_button, exact: true }).click());
  const where = new URL(page.url()).pathname;
  let code;
  if (!state.secret) {
    assert.equal(where, '/masuk/pasang-2fa', 'staff without TOTP enrol first');
    state.secret = collapse(await page.locator('code[data-secret]').textContent());
    state.step = totpStep();
    code = totpCode(state.secret, state.step);
    await main.getByLabel(t.auth.code_label, { exact: true }).fill(code);
    const { first } = await navigate(page, () => main.getByRole('button', { name: t.auth.enrol_button, exact: true }).click());
    assert.equal(first.status(), 200, 'the code is accepted');
    return;
  }
  // Enrolled already: the next unused code (a code is accepted once; one step of drift is allowed).
  state.step = Math.max(totpStep(), state.step + 1);
  await main.getByLabel(t.auth.code_label, { exact: true }).fill(totpCode(state.secret, state.step));
  const { first } = await navigate(page, () => main.getByRole('button', { name: t.auth.code_button, exact: true }).click());
  assert.ok(first.status() < 400, 'the second factor is accepted');
}

describe('the officers\' complaint pages', () => {
  const balai = useBalai();
  const totp = {};
  let tracking;  // the report the first test answers

  it('queue, template, work page and a follow-up, with axe on each page', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const s = await staffText('id');
    const context = await balai.newContext();
    const page = await context.newPage();
    await signInAsOfficer(page, t, totp);

    // The queue, filtered to damaged roads (the demo has one with the agency, still open).
    let response = await page.goto('/petugas/pengaduan');
    assert.equal(response.status(), 200);
    assert.equal(await h1Text(page), s.queue.heading);
    await assertNoAxeViolations(page, '/petugas/pengaduan');
    const main = page.getByRole('main');
    await main.getByLabel(s.queue.category_label, { exact: true }).selectOption('jalan-rusak');
    await navigate(page, () => main.getByRole('button', { name: s.queue.filter_button, exact: true }).click());
    assert.equal(new URL(page.url()).searchParams.get('kategori'), 'jalan-rusak');
    const open = 'tbody tr[data-report][data-status="dispositioned"], tbody tr[data-report][data-status="in_progress"]';
    const rows = page.locator(open);
    assert.ok((await rows.count()) > 0, 'the demo has an open damaged-road report with the agency');
    tracking = await rows.first().getAttribute('data-report');
    const queueUrl = new URL(page.url()).pathname + new URL(page.url()).search;
    await assertNoAxeViolations(page, queueUrl);

    // An answer template for the agency.
    await navigate(page, () => main.getByRole('link', { name: s.queue.templates_link, exact: true }).click());
    assert.equal(await h1Text(page), s.templates.title);
    await assertNoAxeViolations(page, '/petugas/pengaduan/templat');
    await main.getByLabel(s.templates.title_label, { exact: true }).fill(TEMPLATE.title);
    await main.getByLabel(s.templates.body_label, { exact: true }).fill(TEMPLATE.body);
    let result = await navigate(page, () => main.getByRole('button', { name: s.templates.add_button, exact: true }).click());
    assert.equal(result.first.status(), 303);
    assert.equal(collapse(await page.locator('.panel[role="status"]').textContent()), s.ok.template_added);

    // The work page, reached from the queue.
    await page.goto(queueUrl);
    await navigate(page, () => main.getByRole('link', { name: tracking, exact: true }).click());
    assert.equal(new URL(page.url()).pathname, `/petugas/pengaduan/${tracking}`);
    assert.equal(await page.locator('[data-tracking]').textContent(), tracking);
    await assertNoAxeViolations(page, `/petugas/pengaduan/${tracking}`);

    // An empty answer is refused with the summary linked to the field.
    result = await navigate(page, () => main.getByRole('button', { name: s.follow_up.button, exact: true }).click());
    assert.equal(result.first.status(), 422);
    assert.equal(await page.locator('.error-summary a[href="#follow-up-text"]').count(), 1);
    await assertNoAxeViolations(page, `/petugas/pengaduan/${tracking} with an error`);

    // Choosing the template fills the answer at once (JavaScript), then it is sent.
    await main.getByLabel(s.follow_up.template_label, { exact: true }).selectOption({ label: TEMPLATE.title });
    const answer = main.getByLabel(s.follow_up.text_label, { exact: true });
    assert.equal(await answer.inputValue(), TEMPLATE.body);
    assert.equal(await main.getByRole('button', { name: s.follow_up.template_button, exact: true }).count(), 0,
      'with JavaScript the "use template" button is not needed');
    await answer.fill(`${TEMPLATE.body} Nomor tiket lapangan: 17.`);
    result = await navigate(page, () => main.getByRole('button', { name: s.follow_up.button, exact: true }).click());
    assert.equal(result.first.status(), 303);
    assert.equal(new URL(page.url()).search, '?ok=followed_up');
    assert.equal(collapse(await page.locator('.panel[role="status"]').textContent()), s.ok.followed_up);
    assert.ok((await page.locator('[data-timeline]').textContent()).includes('Nomor tiket lapangan: 17.'));
    assert.equal(collapse(await page.locator('[data-status]').textContent()), s.status.in_progress);
    await assertNoAxeViolations(page, `/petugas/pengaduan/${tracking} after the follow-up`);

    // The same pages in English.
    const en = await staffText('en');
    for (const [target, heading] of [['/petugas/pengaduan?lang=en', en.queue.heading],
      [`/petugas/pengaduan/${tracking}?lang=en`, null]]) {
      response = await page.goto(target);
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      if (heading) assert.equal(await h1Text(page), heading);
      await assertNoAxeViolations(page, target);
    }
    await context.close();
  });

  it('fills the answer from a template without JavaScript', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const s = await staffText('id');
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();
    await signInAsOfficer(page, t, totp);
    assert.ok(tracking, 'the first test found a report');
    await page.goto(`/petugas/pengaduan/${tracking}`);
    const main = page.getByRole('main');
    await main.getByLabel(s.follow_up.template_label, { exact: true }).selectOption({ label: TEMPLATE.title });
    await navigate(page, () => main.getByRole('button', { name: s.follow_up.template_button, exact: true }).click());
    assert.equal(new URL(page.url()).searchParams.has('templat'), true);
    assert.equal(await main.getByLabel(s.follow_up.text_label, { exact: true }).inputValue(), TEMPLATE.body);
    await context.close();
  });
});
