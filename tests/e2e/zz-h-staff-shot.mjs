import fs from 'node:fs';
import { startServer } from '/work/main/tests/e2e/support/server.mjs';
import { launchBrowser, newContext } from '/work/main/tests/e2e/support/browser.mjs';
import { totpCode, totpStep } from '/work/main/tests/e2e/support/totp.mjs';
const server = await startServer();
const browser = await launchBrowser();
try {
  const context = await newContext(browser, server.origin, { viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto('/masuk');
  const t0 = JSON.parse(fs.readFileSync('/work/main/web/i18n/id.json','utf8'));
  const main = page.getByRole('main');
  await main.getByLabel(t0.auth.login_label, { exact: true }).fill('kabid.pupr@demo.balai.id');
  await main.getByLabel(t0.auth.password_label, { exact: true }).fill('jembatan batu kali kokoh sekali');
  await Promise.all([page.waitForEvent('load'), main.getByRole('button', { name: t0.auth.sign_in_button, exact: true }).click()]);
  console.log('after sign-in', page.url(), await page.locator('h1').textContent(), await page.locator('main').innerText());
  const secret = (await page.locator('code[data-secret]').textContent()).replace(/\s+/g, '');
  await main.getByLabel(t0.auth.code_label, { exact: true }).fill(totpCode(secret, totpStep()));
  await Promise.all([page.waitForEvent('load'), main.getByRole('button', { name: t0.auth.enrol_button, exact: true }).click()]);
  await page.goto('/petugas/pengaduan');
  await page.screenshot({ path: '/tmp/h-staff-queue.png', fullPage: true });
  const t = await page.locator('tbody tr[data-status="in_progress"]').first().getAttribute('data-report');
  await page.goto('/petugas/pengaduan/' + t);
  await page.screenshot({ path: '/tmp/h-staff-case.png', fullPage: true });
  const r = await page.goto('/petugas/pengaduan/ADU-2026-000004');
  await page.screenshot({ path: '/tmp/h-staff-case2.png', fullPage: true });
} finally {
  await browser.close();
  await server.stop();
}
