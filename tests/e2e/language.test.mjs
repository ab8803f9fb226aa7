// Language: Bahasa Indonesia by default, English on request, no JavaScript needed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertScriptsDisabled, h1Text, htmlLang } from './support/browser.mjs';

const balai = useBalai();
const SERVICE = 'akta-kelahiran';

/** The header's language switch, found by its accessible name in the page's language. */
function languageSwitch(page, from, to) {
  const name = `${balai.i18n[from].site.lang_switch_prefix} ${balai.i18n[to].site.language_name}`;
  return page.getByRole('banner').getByRole('link', { name, exact: true });
}

describe('language', () => {
  it('<html lang> is "id" by default and "en" after ?lang=en', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await balai.newContext();
    const page = await context.newPage();

    await page.goto('/');
    assert.equal(await htmlLang(page), 'id');
    assert.equal(await h1Text(page), balai.i18n.id.home.heading);

    await page.goto('/?lang=en');
    assert.equal(await htmlLang(page), 'en');
    assert.equal(await h1Text(page), balai.i18n.en.home.heading);

    const cookies = await context.cookies(balai.origin);
    const lang = cookies.find((c) => c.name === 'lang');
    assert.equal(lang?.value, 'en', '?lang=en sets the lang cookie');
    await context.close();
  });

  it('the language switch link works without JavaScript and the choice persists via the cookie', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();
    const service = balai.services.find((s) => s.code === SERVICE);
    assert.ok(service, `the demo catalogue has the ${SERVICE} service`);

    await page.goto('/');
    assert.equal(await htmlLang(page), 'id');

    // Switch to English by following the link, as a user without JavaScript would.
    const toEnglish = languageSwitch(page, 'id', 'en');
    assert.equal(await toEnglish.getAttribute('hreflang'), 'en');
    await toEnglish.click();
    await page.waitForURL((url) => url.searchParams.get('lang') === 'en');
    assert.equal(await htmlLang(page), 'en');
    assert.equal(await h1Text(page), balai.i18n.en.home.heading);

    // The next page, opened without ?lang, stays in English thanks to the cookie.
    await page.goto(`/layanan/${SERVICE}`);
    assert.equal(await htmlLang(page), 'en');
    assert.equal(await h1Text(page), service.name.en);

    // And back to Indonesian from the service page, which keeps the user on it.
    const toIndonesian = languageSwitch(page, 'en', 'id');
    await toIndonesian.click();
    await page.waitForURL((url) => url.searchParams.get('lang') === 'id');
    assert.equal(new URL(page.url()).pathname, `/layanan/${SERVICE}`);
    assert.equal(await htmlLang(page), 'id');
    assert.equal(await h1Text(page), service.name.id);

    await page.goto('/');
    assert.equal(await htmlLang(page), 'id');
    assert.equal(await h1Text(page), balai.i18n.id.home.heading);
    await context.close();
  });
});
