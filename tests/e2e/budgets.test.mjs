// Performance budget and privacy: small pages, and nothing fetched from elsewhere.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';

const balai = useBalai();

const HTML_CSS_BUDGET_BYTES = 50 * 1024;
const PAGES = ['/', '/layanan/akta-kelahiran'];

/**
 * Loads path in a fresh context (so nothing comes from the cache) and waits
 * until the network is idle. Returns every request the page made.
 */
async function load(path, options = {}) {
  const context = await balai.newContext(options);
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request));
  const response = await page.goto(path, { waitUntil: 'networkidle' });
  assert.equal(response.status(), 200, `GET ${path}`);
  return { context, page, requests };
}

describe('budgets', () => {
  for (const path of PAGES) {
    it(`${path} transfers less than 50 KB of HTML and CSS`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const { context, requests } = await load(path);
      const counted = requests.filter((r) => ['document', 'stylesheet'].includes(r.resourceType()));
      assert.ok(counted.some((r) => r.resourceType() === 'document'), 'the HTML was loaded');
      assert.ok(counted.some((r) => r.resourceType() === 'stylesheet'), 'the CSS was loaded');

      let total = 0;
      const lines = [];
      for (const request of counted) {
        // Bytes on the wire: response headers plus the (possibly compressed) body.
        const sizes = await request.sizes();
        const bytes = sizes.responseHeadersSize + sizes.responseBodySize;
        assert.ok(sizes.responseBodySize > 0, `${request.url()} has a body`);
        total += bytes;
        lines.push(`  ${request.resourceType()} ${request.url()}: ${bytes} B`);
      }
      assert.ok(
        total < HTML_CSS_BUDGET_BYTES,
        `HTML + CSS of ${path} is ${total} B, budget ${HTML_CSS_BUDGET_BYTES} B:\n${lines.join('\n')}`,
      );
      await context.close();
    });
  }

  for (const path of [...PAGES, '/privasi', '/aksesibilitas', '/?lang=en']) {
    it(`${path} requests nothing outside the server's own origin`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const { context, requests } = await load(path);
      const urls = requests.map((r) => r.url());
      assert.ok(urls.length > 1, `${path} loaded its subresources: ${urls.join(', ')}`);
      const foreign = urls.filter((u) => !u.startsWith(`${balai.origin}/`));
      assert.deepEqual(foreign, [], `requests leaving ${balai.origin}`);
      await context.close();
    });
  }
});
