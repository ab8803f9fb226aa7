// WCAG 2.1 A/AA checks (axe) for the main pages, and keyboard access.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, collapse, h1Text, htmlLang } from './support/browser.mjs';

const balai = useBalai();
const SERVICE = 'akta-kelahiran';

describe('axe finds no WCAG 2.1 A/AA violations', () => {
  for (const lang of ['id', 'en']) {
    const query = lang === 'en' ? '?lang=en' : '';

    it(`on the home page in ${lang === 'id' ? 'Indonesian (default)' : 'English (?lang=en)'}`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const context = await balai.newContext();
      const page = await context.newPage();
      const response = await page.goto(`/${query}`);
      assert.equal(response.status(), 200);
      assert.equal(await htmlLang(page), lang);
      assert.equal(await h1Text(page), balai.i18n[lang].home.heading);
      await assertNoAxeViolations(page, `home page (${lang})`);
      await context.close();
    });

    it(`on a service page in ${lang === 'id' ? 'Indonesian (default)' : 'English (?lang=en)'}`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const service = balai.services.find((s) => s.code === SERVICE);
      assert.ok(service, `the demo catalogue has the ${SERVICE} service`);
      const context = await balai.newContext();
      const page = await context.newPage();
      const response = await page.goto(`/layanan/${SERVICE}${query}`);
      assert.equal(response.status(), 200);
      assert.equal(await htmlLang(page), lang);
      assert.equal(await h1Text(page), service.name[lang]);
      await assertNoAxeViolations(page, `/layanan/${SERVICE} (${lang})`);
      await context.close();
    });

    it(`on a service's privacy notice in ${lang === 'id' ? 'Indonesian (default)' : 'English (?lang=en)'}`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const service = balai.services.find((s) => s.code === SERVICE);
      assert.ok(service, `the demo catalogue has the ${SERVICE} service`);
      const context = await balai.newContext();
      const page = await context.newPage();
      const response = await page.goto(`/layanan/${SERVICE}/privasi${query}`);
      assert.equal(response.status(), 200);
      assert.equal(await htmlLang(page), lang);
      assert.ok((await h1Text(page)).endsWith(`: ${service.name[lang]}`), 'the h1 names the service');
      await assertNoAxeViolations(page, `/layanan/${SERVICE}/privasi (${lang})`);
      await context.close();
    });
  }
});

describe('keyboard', () => {
  for (const path of ['/', `/layanan/${SERVICE}`, `/layanan/${SERVICE}/privasi`]) {
    it(`the first Tab on ${path} focuses the skip link, which moves focus to #main`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const context = await balai.newContext();
      const page = await context.newPage();
      await page.goto(path);

      await page.keyboard.press('Tab');
      const focused = page.locator(':focus');
      assert.equal(await focused.count(), 1, 'something has keyboard focus after one Tab');
      assert.equal(await focused.getAttribute('class'), 'skip-link', 'the skip link is focused first');
      assert.equal(await focused.getAttribute('href'), '#main');
      assert.equal(collapse(await focused.textContent()), balai.i18n.id.site.skip_link);
      assert.ok(await focused.isVisible(), 'the focused skip link is visible');

      const main = page.locator('#main');
      assert.equal(await main.count(), 1, 'the skip link target #main exists');
      assert.equal(await main.evaluate((el) => el.tagName), 'MAIN');

      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.hash === '#main');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
      await context.close();
    });
  }
});
