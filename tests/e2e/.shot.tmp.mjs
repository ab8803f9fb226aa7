import { chromium } from 'playwright-core';
const origin = 'http://127.0.0.1:18431';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const ctx = await browser.newContext({ baseURL: origin, viewport: { width: 1000, height: 900 } });
const page = await ctx.newPage();
const sizes = async (path) => {
  const reqs = []; page.on('request', r => reqs.push(r));
  await page.goto(path, { waitUntil: 'networkidle' });
  let total = 0; const lines = [];
  for (const r of reqs.filter(r => ['document','stylesheet'].includes(r.resourceType()))) { const s = await r.sizes(); total += s.responseHeadersSize + s.responseBodySize; lines.push(`${r.url()} ${s.responseBodySize}`); }
  page.removeAllListeners('request');
  console.log(path, total, lines.join(' | '));
};
await sizes('/pengaduan');
await page.screenshot({ path: '/tmp/shots/list.png', fullPage: true });
await sizes('/pengaduan/statistik');
await page.screenshot({ path: '/tmp/shots/stats.png', fullPage: true });
await sizes('/pengaduan/ADU-2026-000004');
await page.screenshot({ path: '/tmp/shots/report.png', fullPage: true });
// sign in
await page.goto('/masuk');
await page.fill('#login', 'warga@demo.balai.id').catch(()=>{});
const inputs = await page.$$('main input:not([type=hidden])');
await inputs[0].fill('warga@demo.balai.id'); await inputs[1].fill('kereta api lewat tengah kota');
await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
await sizes('/pengaduan/baru');
await page.locator('#place-map').click();
await page.waitForTimeout(500);
await page.screenshot({ path: '/tmp/shots/form.png', fullPage: true });
await browser.close();
