// City alerts by e-mail (/kota/peringatan) in Chromium: reached from /kota; a visitor is asked to
// sign in and comes back to the page afterwards; the demo citizen follows a district (after
// sending the form empty: 422, the summary links to the list), sees the confirmation, stops
// following it, all without JavaScript; the page in English; and at 360 px wide nothing scrolls
// sideways. Every state of the page passes axe.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, assertScriptsDisabled, collapse, h1Text } from './support/browser.mjs';
import { sourceDir } from './support/server.mjs';

const CITIZEN = { login: 'warga@demo.balai.id', password: 'kereta api lewat tengah kota' };
const PAGE = '/kota/peringatan';
const DISTRICT = { code: '35.77.01', name: 'Kartoharjo' };

/** Module catalogs (web/i18n/<module>/<lang>.json) merged over the main one. */
async function catalog(base, lang) {
  const merged = { ...base };
  const file = path.join(sourceDir(), 'web', 'i18n', 'city_dashboard', `${lang}.json`);
  Object.assign(merged, JSON.parse(await readFile(file, 'utf8')));
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

/** Fills the sign-in form the page is on and sends it. */
async function signIn(page, t) {
  const main = page.getByRole('main');
  await main.getByLabel(t.auth.login_label, { exact: true }).fill(CITIZEN.login);
  await main.getByLabel(t.auth.password_label, { exact: true }).fill(CITIZEN.password);
  return navigate(page, () => main.getByRole('button', { name: t.auth.sign_in_button, exact: true }).click());
}

describe('city alerts by e-mail', () => {
  const balai = useBalai();
  const i18n = {};

  before(async () => {
    i18n.id = await catalog(balai.i18n.id, 'id');
    i18n.en = await catalog(balai.i18n.en, 'en');
  });

  it('a visitor reaches it from /kota, signs in and comes back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id;
    const context = await balai.newContext();
    const page = await context.newPage();
    await page.goto('/kota?lang=id');
    await navigate(page, () => page.getByRole('main').getByRole('link', { name: t.city_alerts.link, exact: true }).click());
    assert.equal(new URL(page.url()).pathname, PAGE);
    assert.equal(await h1Text(page), t.city_alerts.heading);
    assert.equal(await page.getByRole('combobox').count(), 0, 'no form before signing in');
    await assertNoAxeViolations(page, `${PAGE} (visitor)`);

    await navigate(page, () => page.getByRole('main').getByRole('link', { name: t.city_alerts.sign_in.button, exact: true }).click());
    assert.equal(new URL(page.url()).pathname, '/masuk');
    await signIn(page, t);
    assert.equal(new URL(page.url()).pathname, PAGE, 'back on the page after signing in');
    assert.equal(await page.getByLabel(t.city_alerts.add.label, { exact: true }).count(), 1);
    await context.close();
  });

  it('the demo citizen follows a district and stops following it, without JavaScript', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const t = i18n.id;
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();
    await page.goto(`/masuk?lang=id&next=${PAGE}`);
    await signIn(page, t);
    await page.goto(PAGE);
    const main = page.getByRole('main');
    assert.equal(collapse(await main.locator('[data-alerts-none]').textContent()), t.city_alerts.followed.none);

    // Sent without a choice: 422, the summary links to the list.
    const refused = await navigate(page, () => main.getByRole('button', { name: t.city_alerts.add.button, exact: true }).click());
    assert.equal(refused.first.status(), 422);
    const summary = page.getByRole('alert');
    const link = summary.getByRole('link', { name: t.city_alerts.errors.required, exact: true });
    assert.equal(await link.getAttribute('href'), '#district');
    assert.equal(await main.getByLabel(t.city_alerts.add.label, { exact: true }).getAttribute('aria-invalid'), 'true');

    // Chosen: 303 back to the page with the confirmation.
    await main.getByLabel(t.city_alerts.add.label, { exact: true }).selectOption(DISTRICT.code);
    const added = await navigate(page, () => main.getByRole('button', { name: t.city_alerts.add.button, exact: true }).click());
    assert.equal(added.first.status(), 303);
    assert.equal(added.last.status(), 200);
    assert.equal(new URL(page.url()).pathname, PAGE);
    assert.equal(
      collapse(await page.getByRole('status').textContent()),
      t.city_alerts.ok.added.replace('{name}', DISTRICT.name),
    );
    const followed = main.locator(`[data-alerts-followed] [data-district="${DISTRICT.code}"]`);
    assert.equal(collapse(await followed.locator('dt').textContent()), DISTRICT.name);
    const options = await main.getByLabel(t.city_alerts.add.label, { exact: true }).locator('option').allTextContents();
    assert.ok(!options.includes(DISTRICT.name), 'a district followed is not offered again');

    const remove = main.getByRole('button', { name: `${t.city_alerts.followed.remove_button} ${DISTRICT.name}`, exact: true });
    assert.equal(await remove.count(), 1, 'the remove button names its district');
    const removed = await navigate(page, () => remove.click());
    assert.equal(removed.first.status(), 303);
    assert.equal(
      collapse(await page.getByRole('status').textContent()),
      t.city_alerts.ok.removed.replace('{name}', DISTRICT.name),
    );
    assert.equal(await main.locator('[data-alerts-followed]').count(), 0);
    await context.close();
  });

  it('passes axe with districts, a confirmation and an error, in Indonesian and English', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const context = await balai.newContext();
    const page = await context.newPage();
    await page.goto(`/masuk?lang=id&next=${PAGE}`);
    await signIn(page, i18n.id);
    for (const lang of ['id', 'en']) {
      const t = i18n[lang];
      await page.goto(`${PAGE}?lang=${lang}`);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await h1Text(page), t.city_alerts.heading);
      await assertNoAxeViolations(page, `${PAGE}?lang=${lang} (citizen)`);

      const main = page.getByRole('main');
      const refused = await navigate(page, () => main.getByRole('button', { name: t.city_alerts.add.button, exact: true }).click());
      assert.equal(refused.first.status(), 422);
      await assertNoAxeViolations(page, `${PAGE} with an error (${lang})`);

      await main.getByLabel(t.city_alerts.add.label, { exact: true }).selectOption(DISTRICT.code);
      await navigate(page, () => main.getByRole('button', { name: t.city_alerts.add.button, exact: true }).click());
      assert.equal(
        collapse(await page.getByRole('status').textContent()),
        t.city_alerts.ok.added.replace('{name}', DISTRICT.name),
      );
      await assertNoAxeViolations(page, `${PAGE} with a confirmation (${lang})`);
      await navigate(page, () =>
        main.getByRole('button', { name: `${t.city_alerts.followed.remove_button} ${DISTRICT.name}`, exact: true }).click(),
      );
    }
    await context.close();
  });

  it('fits a 360 px wide phone', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id;
    const context = await balai.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`/masuk?lang=id&next=${PAGE}`);
    await signIn(page, t);
    await page.goto(PAGE);
    const main = page.getByRole('main');
    await main.getByLabel(t.city_alerts.add.label, { exact: true }).selectOption(DISTRICT.code);
    await navigate(page, () => main.getByRole('button', { name: t.city_alerts.add.button, exact: true }).click());
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
    }));
    assert.ok(widths.page <= widths.viewport, `the page is ${widths.page} px wide in a ${widths.viewport} px viewport`);
    const select = await main.getByLabel(t.city_alerts.add.label, { exact: true }).boundingBox();
    assert.ok(select.x >= 0 && select.x + select.width <= 360, `the list fits: ${JSON.stringify(select)}`);
    await assertNoAxeViolations(page, `${PAGE} at 360 px`);
    await context.close();
  });
});
