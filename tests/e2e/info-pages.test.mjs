// The privacy notice and the accessibility statement.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, h1Text, htmlLang } from './support/browser.mjs';

const balai = useBalai();

const PAGES = [
  { path: '/privasi', link: (t) => t.footer.privacy, heading: (t) => t.privacy.heading },
  { path: '/aksesibilitas', link: (t) => t.footer.accessibility, heading: (t) => t.accessibility.heading },
];

describe('privacy and accessibility pages', () => {
  for (const lang of ['id', 'en']) {
    for (const { path, link, heading } of PAGES) {
      it(`${path} is reachable from the footer of the home page and has no axe violations (${lang})`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const t = balai.i18n[lang];
        const context = await balai.newContext();
        const page = await context.newPage();
        await page.goto(lang === 'en' ? '/?lang=en' : '/');

        const footerNav = page.getByRole('contentinfo').getByRole('navigation', { name: t.footer.label });
        const footerLink = footerNav.getByRole('link', { name: link(t), exact: true });
        assert.equal(await footerLink.getAttribute('href'), path);
        await footerLink.click();
        await page.waitForURL((url) => url.pathname === path);

        assert.equal(await htmlLang(page), lang);
        assert.equal(await h1Text(page), heading(t));
        await assertNoAxeViolations(page, `${path} (${lang})`);
        await context.close();
      });
    }
  }

  for (const { path, heading } of PAGES) {
    it(`${path} answers 200 directly and is linked from every service page's footer`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const context = await balai.newContext();
      const page = await context.newPage();
      const response = await page.goto(path);
      assert.equal(response.status(), 200);
      assert.equal(await h1Text(page), heading(balai.i18n.id));
      for (const service of balai.services) {
        await page.goto(service.links.page);
        const hrefs = await page.getByRole('contentinfo').getByRole('link').evaluateAll(
          (links) => links.map((a) => a.getAttribute('href')),
        );
        assert.ok(hrefs.includes(path), `${service.links.page} footer links to ${path}: ${hrefs}`);
      }
      await context.close();
    });
  }
});
