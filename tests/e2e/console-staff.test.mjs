// The console's agency and staff pages in a real browser (plain forms, no script): the demo
// administrator signs in (enrolling TOTP on the way), adds an agency, creates an officer in it
// after one refused attempt, and axe finds no WCAG 2.1 A/AA violations on any of these pages,
// in Indonesian and English.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, collapse, h1Text } from './support/browser.mjs';
import { sourceDir } from './support/server.mjs';
import { totpCode, totpStep } from './support/totp.mjs';

const ADMIN = { login: 'admin@demo.balai.id', password: 'sambel pecel pedas manis' };

/** The strings of the console_staff catalog (web/i18n/console_staff/<lang>.json). */
async function consoleStaffText(lang) {
  const file = path.join(sourceDir(), 'web', 'i18n', 'console_staff', `${lang}.json`);
  return JSON.parse(await readFile(file, 'utf8')).console_staff;
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

/** Signs the demo administrator in through the forms and enrols TOTP on the way. */
async function signInAsAdmin(page, t) {
  await page.goto('/masuk');
  const main = page.getByRole('main');
  await main.getByLabel(t.auth.login_label, { exact: true }).fill(ADMIN.login);
  await main.getByLabel(t.auth.password_label, { exact: true }).fill(ADMIN.password);
  await navigate(page, () => main.getByRole('button', { name: t.auth.sign_in_button, exact: true }).click());
  assert.equal(new URL(page.url()).pathname, '/masuk/pasang-2fa', 'staff without TOTP enrol first');
  const secret = collapse(await page.locator('code[data-secret]').textContent());
  await main.getByLabel(t.auth.code_label, { exact: true }).fill(totpCode(secret, totpStep()));
  const { first } = await navigate(page, () => main.getByRole('button', { name: t.auth.enrol_button, exact: true }).click());
  assert.equal(first.status(), 200, 'the code is accepted');
}

describe('the console\'s agency and staff pages', () => {
  const balai = useBalai();

  it('add an agency and an officer in it, and pass axe in both languages', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const s = await consoleStaffText('id');
    const context = await balai.newContext();
    const page = await context.newPage();
    await signInAsAdmin(page, t);

    // The overview links to both pages.
    await page.goto('/konsol');
    const sections = page.getByRole('navigation', { name: t.console.sections_label });
    assert.equal(await sections.getByRole('link', { name: s.agencies.title, exact: true }).count(), 1);
    assert.equal(await sections.getByRole('link', { name: s.staff.title, exact: true }).count(), 1);

    let response = await page.goto('/konsol/instansi');
    assert.equal(response.status(), 200);
    assert.equal(await h1Text(page), s.agencies.title);
    await assertNoAxeViolations(page, '/konsol/instansi');

    // A code that is not a slug: the error summary and the field's message.
    const main = page.getByRole('main');
    await main.getByLabel(s.agencies.code_label, { exact: true }).fill('Dinas PU');
    let result = await navigate(page, () => main.getByRole('button', { name: s.agencies.save_button, exact: true }).click());
    assert.equal(result.first.status(), 422);
    assert.equal(await page.locator('.error-summary a[href="#agency-code"]').count(), 1);
    await assertNoAxeViolations(page, '/konsol/instansi with errors');

    await main.getByLabel(s.agencies.code_label, { exact: true }).fill('dinas-pu');
    await main.getByLabel(s.agencies.name_id_label, { exact: true }).fill('Dinas Pekerjaan Umum dan Penataan Ruang');
    await main.getByLabel(s.agencies.name_en_label, { exact: true }).fill('Public Works and Spatial Planning Office');
    result = await navigate(page, () => main.getByRole('button', { name: s.agencies.save_button, exact: true }).click());
    assert.equal(result.first.status(), 303);
    assert.equal(await page.locator('tr[data-agency="dinas-pu"]').count(), 1);

    response = await page.goto('/konsol/staf');
    assert.equal(response.status(), 200);
    assert.equal(await h1Text(page), s.staff.title);
    await assertNoAxeViolations(page, '/konsol/staf');

    // An officer without an agency and a password that is too short: both at once.
    await main.getByLabel(s.staff.role_label, { exact: true }).selectOption('officer');
    await main.getByLabel(s.staff.name_label, { exact: true }).fill('Rahmat Hidayat');
    await main.getByLabel(s.staff.email_label, { exact: true }).fill('rahmat@dinaspu.example.go.id');
    await main.getByLabel(s.staff.password_label, { exact: true }).fill('pendek');
    result = await navigate(page, () => main.getByRole('button', { name: s.staff.create_button, exact: true }).click());
    assert.equal(result.first.status(), 422);
    assert.equal(await page.locator('.error-summary a[href="#staff-agency"]').count(), 1);
    assert.equal(await page.locator('.error-summary a[href="#staff-password"]').count(), 1);
    await assertNoAxeViolations(page, '/konsol/staf with errors');

    await main.getByLabel(s.staff.agency_label, { exact: true }).selectOption('dinas-pu');
    await main.getByLabel(s.staff.password_label, { exact: true }).fill('jembatan beton sungai besar');
    result = await navigate(page, () => main.getByRole('button', { name: s.staff.create_button, exact: true }).click());
    assert.equal(result.first.status(), 303);
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/konsol/staf?dibuat=1');
    assert.equal(collapse(await page.locator('.panel[role="status"]').textContent()), s.staff.created_message);
    assert.ok((await page.locator('tbody').textContent()).includes('ra***@dinaspu.example.go.id'));
    await assertNoAxeViolations(page, '/konsol/staf after creating an account');

    const en = await consoleStaffText('en');
    for (const [target, heading] of [['/konsol/instansi?lang=en', en.agencies.title], ['/konsol/staf?lang=en', en.staff.title]]) {
      response = await page.goto(target);
      assert.equal(response.status(), 200);
      assert.equal(await h1Text(page), heading);
      await assertNoAxeViolations(page, target);
    }
    await context.close();
  });
});
