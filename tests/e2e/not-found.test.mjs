// The 404 page: right status, right language, accessible, and a way home.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, h1Text, htmlLang } from './support/browser.mjs';

const balai = useBalai();

const UNKNOWN_PATHS = ['/halaman-yang-tidak-ada', '/layanan/layanan-yang-tidak-ada'];

describe('404 page', () => {
  for (const lang of ['id', 'en']) {
    const how = lang === 'id' ? 'in Indonesian by default' : 'in English with the lang=en cookie';

    for (const path of UNKNOWN_PATHS) {
      it(`${path} answers 404 ${how}, has no axe violations and links home`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const t = balai.i18n[lang];
        const context = await balai.newContext();
        if (lang === 'en') {
          await context.addCookies([{ name: 'lang', value: 'en', url: balai.origin }]);
        }
        const page = await context.newPage();

        const response = await page.goto(path);
        assert.equal(response.status(), 404);
        assert.match(response.headers()['content-type'] ?? '', /^text\/html\b/);
        assert.equal(await htmlLang(page), lang);
        assert.equal(await h1Text(page), t.error['404'].heading);
        assert.equal(await page.title(), `${t.error['404'].heading} — ${await cityName(page)}`);

        await assertNoAxeViolations(page, `404 page for ${path} (${lang})`);

        const home = page.getByRole('main').getByRole('link', { name: t.error.home_link, exact: true });
        assert.equal(await home.getAttribute('href'), '/');
        await home.click();
        await page.waitForURL((url) => url.pathname === '/');
        assert.equal(await htmlLang(page), lang);
        assert.equal(await h1Text(page), t.home.heading);
        await context.close();
      });
    }
  }
});

/** The city name shown in the header (the demo's city), used in every <title>. */
async function cityName(page) {
  return (await page.locator('.header__city').textContent()).trim();
}
