// The home page's grid of services agrees with the API and works without JavaScript.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertScriptsDisabled, collapse, h1Text, htmlLang } from './support/browser.mjs';

const balai = useBalai();

/** The cards of the home page's service grid: [{ name, href }]. */
async function cards(page) {
  const links = page.locator('#layanan .cards .card .card__link');
  const result = [];
  for (const link of await links.all()) {
    result.push({ name: collapse(await link.textContent()), href: await link.getAttribute('href') });
  }
  return result;
}

const byName = (a, b) => a.name.localeCompare(b.name);

describe('home page service grid', () => {
  for (const lang of ['id', 'en']) {
    it(`lists every service of GET /api/v1/services with its ${lang} name, each linking to its page whose h1 is that name`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const context = await balai.newContext();
      const page = await context.newPage();
      await page.goto(lang === 'en' ? '/?lang=en' : '/');
      assert.equal(await htmlLang(page), lang);

      const expected = balai.services
        .map((s) => ({ name: s.name[lang], href: s.links.page }))
        .sort(byName);
      const actual = (await cards(page)).sort(byName);
      assert.deepEqual(actual, expected);

      for (const { name, href } of expected) {
        const response = await page.goto(href);
        assert.equal(response.status(), 200, `GET ${href}`);
        assert.equal(await htmlLang(page), lang, `${href} keeps the language`);
        assert.equal(await h1Text(page), name, `h1 of ${href}`);
      }
      await context.close();
    });
  }

  it('a card link opens its service page when clicked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [service] = balai.services;
    const context = await balai.newContext();
    const page = await context.newPage();
    await page.goto('/');
    await page.locator('#layanan').getByRole('link', { name: service.name.id, exact: true }).click();
    await page.waitForURL((url) => url.pathname === service.links.page);
    assert.equal(await h1Text(page), service.name.id);
    await context.close();
  });

  it('shows the service cards with JavaScript disabled', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();
    await page.goto('/');
    const grid = page.locator('#layanan .cards .card');
    assert.equal(await grid.count(), balai.services.length);
    for (const card of await grid.all()) {
      assert.ok(await card.isVisible(), 'card is visible');
      const link = card.locator('.card__link');
      assert.ok(await link.isVisible(), 'card link is visible');
      assert.ok(collapse(await link.textContent()).length > 0, 'card link has a name');
    }
    await context.close();
  });
});
