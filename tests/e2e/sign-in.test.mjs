// Signing in: the sign-in form, two-step verification for staff (enrolment with a QR code,
// recovery codes, TOTP codes) and My account with its sessions. No JavaScript needed.
//
// The server bans an address after 5 failed sign-ins in 10 minutes and allows bursts of 20
// sign-in attempts, so each describe block below starts its own server (useBalai() inside the
// block) and makes at most one or two failed attempts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import {
  assertNoAxeViolations,
  assertScriptsDisabled,
  collapse,
  h1Text,
  htmlLang,
} from './support/browser.mjs';
import { base32Decode, hotp, totpCode, totpStep } from './support/totp.mjs';

// The demo accounts of `balai serve --demo` (src/modules/identity/demo.cpp).
const CITIZEN = { login: 'warga@demo.balai.id', password: 'kereta api lewat tengah kota', name: 'Warga Demo' };
const OFFICER = { login: 'petugas@demo.balai.id', password: 'brem caruban manis legit', name: 'Petugas Dukcapil' };
const ADMIN = { login: 'admin@demo.balai.id', password: 'sambel pecel pedas manis', name: 'Admin Diskominfo' };

const HTML_CSS_BUDGET_BYTES = 50 * 1024; // the budget of budgets.test.mjs
const RECOVERY_CODE_COUNT = 10;

/**
 * Runs action (a click or key press that submits a form or follows a link), waits until the
 * page it leads to has loaded, and returns the main frame's document responses in order:
 * `first` is the answer to the submitted request (e.g. a 303), `last` the page shown.
 */
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
  return { first: responses[0], last: responses.at(-1), all: responses };
}

function pathOf(page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Asserts a 303 answer to a POST of `from`, and that the browser ended up on `to`. */
function assertRedirect({ first, last }, from, to) {
  assert.equal(first.request().method(), 'POST', `the form was posted to ${from}`);
  assert.equal(new URL(first.url()).pathname, from);
  assert.equal(first.status(), 303, `POST ${from} answers 303`);
  assert.equal(new URL(last.url()).pathname + new URL(last.url()).search, to, `POST ${from} leads to ${to}`);
  assert.equal(last.status(), 200, `GET ${to}`);
}

/** The text of an element, whitespace-collapsed. */
async function textOf(locator) {
  return collapse(await locator.textContent());
}

/** The value of the row `term` of a <dl class="summary"> (the facts on /akun). */
function summaryValue(page, term) {
  return textOf(
    page
      .locator('.summary__row')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^\\s*${term}\\s*$`) }) })
      .locator('dd'),
  );
}

/** Fills the sign-in form on /masuk (already open) and submits it with the mouse. */
async function submitSignIn(page, t, account, password = account.password) {
  const main = page.getByRole('main');
  await main.getByLabel(t.auth.login_label, { exact: true }).fill(account.login);
  await main.getByLabel(t.auth.password_label, { exact: true }).fill(password);
  return navigate(page, () => main.getByRole('button', { name: t.auth.sign_in_button, exact: true }).click());
}

/** Opens /masuk and signs in; returns the responses of the submission. */
async function signIn(page, t, account, password) {
  const response = await page.goto('/masuk');
  assert.equal(response.status(), 200, 'GET /masuk');
  return submitSignIn(page, t, account, password);
}

/** Signs out with the "Keluar" button of the main menu (a POST form); ends on the home page. */
async function signOut(page, t) {
  const button = page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav.sign_out, exact: true });
  const result = await navigate(page, () => button.click());
  assertRedirect(result, '/keluar', '/');
  const nav = page.getByRole('navigation', { name: t.nav.label });
  assert.equal(await nav.getByRole('link', { name: t.nav.sign_in, exact: true }).count(), 1, 'signed out: the menu offers "Masuk"');
  assert.equal(await nav.getByRole('button', { name: t.nav.sign_out }).count(), 0, 'signed out: no "Keluar" button');
}

/** Types a code into the code field of /masuk/kode or /masuk/pasang-2fa and submits it. */
async function submitCode(page, t, code, button) {
  const main = page.getByRole('main');
  await main.getByLabel(t.auth.code_label, { exact: true }).fill(code);
  return navigate(page, () => main.getByRole('button', { name: button, exact: true }).click());
}

/**
 * On /masuk/pasang-2fa: checks the page (QR code, key), runs axe, turns TOTP on with the code of
 * the current step and checks the recovery codes page. Returns { secret, step, codes }.
 */
async function enrol(page, t, { axe = false } = {}) {
  assert.equal(pathOf(page), '/masuk/pasang-2fa');
  assert.equal(await h1Text(page), t.auth.enrol_heading);
  const qr = page.locator('.qr svg');
  assert.equal(await qr.count(), 1, 'the page shows the QR code as an inline SVG');
  assert.ok(await qr.isVisible(), 'the QR code is visible');
  assert.equal(await qr.getAttribute('role'), 'img', 'the QR code is an image to assistive technology');
  assert.ok(await qr.getAttribute('aria-label'), 'the QR code has an accessible name');
  const secret = collapse(await page.locator('code[data-secret]').textContent());
  assert.match(secret, /^[A-Z2-7]{32}$/, 'the key is 20 bytes in base32, for typing into an app');
  assert.equal(base32Decode(secret).length, 20);
  if (axe) await assertNoAxeViolations(page, '/masuk/pasang-2fa');

  const step = totpStep();
  const result = await submitCode(page, t, totpCode(secret, step), t.auth.enrol_button);
  assert.equal(result.first.request().method(), 'POST');
  assert.equal(result.first.status(), 200, 'the code is accepted and the recovery codes are shown');
  assert.equal(result.all.length, 1, 'no redirect: the codes are shown once, in the answer to the POST');
  assert.equal(await h1Text(page), t.auth.recovery_heading);
  assert.equal(await textOf(page.locator('.warning')), t.auth.recovery_warning);
  const codes = (await page.locator('.recovery-codes code').allTextContents()).map(collapse);
  assert.equal(codes.length, RECOVERY_CODE_COUNT, `${RECOVERY_CODE_COUNT} recovery codes: ${codes.join(', ')}`);
  assert.equal(new Set(codes).size, RECOVERY_CODE_COUNT, 'the recovery codes are all different');
  for (const code of codes) assert.match(code, /^[0-9A-Za-z-]{8,}$/, `recovery code ${JSON.stringify(code)}`);
  if (axe) await assertNoAxeViolations(page, 'recovery codes page');
  return { secret, step, codes };
}

/** On /masuk/pasang-2fa's answer: follows "Saya sudah menyimpannya" to /akun. */
async function continueToAccount(page, t) {
  const link = page.getByRole('main').getByRole('link', { name: t.auth.recovery_continue, exact: true });
  const { last } = await navigate(page, () => link.click());
  assert.equal(last.status(), 200);
  assert.equal(pathOf(page), '/akun');
}

describe('the TOTP helper', () => {
  it('matches the RFC 6238 test vectors (SHA-1) and RFC 4226 HOTP values', () => {
    // RFC 6238 appendix B: the ASCII key "12345678901234567890", 8 digits.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.equal(base32Decode(secret).toString('ascii'), '12345678901234567890');
    const vectors = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) {
      assert.equal(totpCode(secret, totpStep(seconds * 1000), 8), code, `T = ${seconds}`);
      assert.equal(totpCode(secret, totpStep(seconds * 1000)), code.slice(-6), `T = ${seconds}, 6 digits`);
    }
    // RFC 4226 appendix D: HOTP with counters 0 and 9.
    assert.equal(hotp(Buffer.from('12345678901234567890'), 0), '755224');
    assert.equal(hotp(Buffer.from('12345678901234567890'), 9), '520489');
  });
});

describe('the sign-in form', () => {
  const balai = useBalai();

  for (const lang of ['id', 'en']) {
    it(`/masuk passes axe in ${lang === 'id' ? 'Indonesian (default)' : 'English (?lang=en)'}`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const t = balai.i18n[lang];
      const context = await balai.newContext();
      const page = await context.newPage();
      const response = await page.goto(lang === 'en' ? '/masuk?lang=en' : '/masuk');
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['cache-control'], 'no-store');
      assert.equal(await htmlLang(page), lang);
      assert.equal(await h1Text(page), t.auth.sign_in_heading);
      assert.ok((await page.title()).startsWith(`${t.auth.sign_in_title} — `), `title: ${await page.title()}`);

      const form = page.locator('main form');
      assert.equal(await form.getAttribute('method'), 'post');
      assert.equal(await form.getAttribute('action'), '/masuk');
      assert.ok(await form.locator('input[type="hidden"][name="_csrf"]').inputValue(), 'the form carries a CSRF token');
      const login = page.getByLabel(t.auth.login_label, { exact: true });
      assert.equal(await login.getAttribute('autocomplete'), 'username');
      assert.equal(await page.getByLabel(t.auth.password_label, { exact: true }).getAttribute('type'), 'password');
      assert.equal(await page.getByRole('alert').count(), 0, 'no error shown before anything was submitted');

      const navLink = page.getByRole('navigation', { name: t.nav.label }).getByRole('link', { name: t.nav.sign_in, exact: true });
      assert.equal(await navLink.getAttribute('aria-current'), 'page', 'the menu marks "Masuk" as the current page');

      await assertNoAxeViolations(page, `/masuk (${lang})`);
      await context.close();
    });
  }

  it('a citizen signs in with email and password: 303 to /akun, which shows the account', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const context = await balai.newContext();
    const page = await context.newPage();
    const result = await signIn(page, t, CITIZEN);
    assertRedirect(result, '/masuk', '/akun');

    assert.equal(await h1Text(page), t.account.heading);
    assert.equal(await summaryValue(page, t.account.name), CITIZEN.name);
    assert.equal(await summaryValue(page, t.account.two_factor), t.account.off);
    const nav = page.getByRole('navigation', { name: t.nav.label });
    assert.equal(await nav.getByRole('link', { name: t.nav.account, exact: true }).getAttribute('aria-current'), 'page');
    assert.equal(await nav.getByRole('button', { name: t.nav.sign_out, exact: true }).count(), 1);
    assert.equal(await nav.getByRole('link', { name: t.nav.sign_in, exact: true }).count(), 0);

    const session = (await context.cookies(balai.origin)).find((c) => /session/.test(c.name));
    assert.ok(session, 'a session cookie is set');
    assert.equal(session.httpOnly, true, 'the session cookie is HttpOnly');
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.expires, -1, 'the session cookie ends with the browser');

    // Signed in, /masuk sends the citizen to the account page.
    await page.goto('/masuk');
    assert.equal(pathOf(page), '/akun');
    await assertNoAxeViolations(page, '/akun (citizen)');
    await context.close();
  });

  it('a wrong password answers 401 with the message in role="alert", and the page passes axe', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const context = await balai.newContext();
    const page = await context.newPage();
    const { first, all } = await signIn(page, t, CITIZEN, 'bukan kata sandi yang benar');
    assert.equal(first.status(), 401);
    assert.equal(all.length, 1, 'no redirect after a refusal');
    assert.equal(first.headers()['cache-control'], 'no-store');
    assert.equal(pathOf(page), '/masuk');
    assert.equal(await h1Text(page), t.auth.sign_in_heading);

    const alert = page.getByRole('alert');
    assert.equal(await alert.count(), 1, 'one element with role="alert"');
    assert.equal(await textOf(alert), t.auth.wrong);
    assert.equal(
      await page.getByLabel(t.auth.login_label, { exact: true }).inputValue(),
      CITIZEN.login,
      'the login typed is kept',
    );
    assert.equal(await page.getByLabel(t.auth.password_label, { exact: true }).inputValue(), '', 'the password is not echoed back');
    assert.equal((await context.cookies(balai.origin)).filter((c) => /session/.test(c.name)).length, 0, 'no session');
    await assertNoAxeViolations(page, '/masuk with the error shown');
    await context.close();
  });

  it('the sign-in form can be filled and submitted with the keyboard only', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const context = await balai.newContext();
    const page = await context.newPage();
    await page.goto('/masuk');

    const focusedId = () => page.locator(':focus').getAttribute('id');
    let tabs = 0;
    while ((await page.locator(':focus').count()) === 0 || (await focusedId()) !== 'login') {
      assert.ok(tabs < 20, 'the login field is reached with Tab');
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    await page.keyboard.type(CITIZEN.login);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'password', 'Tab moves from the login field to the password');
    await page.keyboard.type(CITIZEN.password);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.evaluate((el) => `${el.tagName} ${el.type}`), 'BUTTON submit', 'then to the submit button');
    assert.equal(await textOf(focused), t.auth.sign_in_button);

    const result = await navigate(page, () => page.keyboard.press('Enter'));
    assertRedirect(result, '/masuk', '/akun');
    assert.equal(await h1Text(page), t.account.heading);
    await context.close();
  });

  it('without JavaScript: /akun asks to sign in, returns there, and "Keluar" signs out', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();

    const response = await page.goto('/akun');
    assert.equal(response.status(), 200);
    const redirect = await response.request().redirectedFrom()?.response();
    assert.equal(redirect?.status(), 303, 'GET /akun answers 303 when signed out');
    assert.equal(pathOf(page), '/masuk?next=/akun');
    assert.equal(await h1Text(page), t.auth.sign_in_heading);

    const result = await submitSignIn(page, t, CITIZEN);
    assertRedirect(result, '/masuk', '/akun');
    assert.equal(await summaryValue(page, t.account.name), CITIZEN.name);

    await signOut(page, t);
    assert.equal(pathOf(page), '/');
    assert.equal((await context.cookies(balai.origin)).filter((c) => /session/.test(c.name)).length, 0, 'the session cookie is cleared');
    await page.goto('/akun');
    assert.equal(new URL(page.url()).pathname, '/masuk', 'signed out, /akun sends to /masuk');
    await context.close();
  });

  it('/masuk transfers less than 50 KB of HTML and CSS', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await balai.newContext();
    const page = await context.newPage();
    const requests = [];
    page.on('request', (request) => requests.push(request));
    const response = await page.goto('/masuk', { waitUntil: 'networkidle' });
    assert.equal(response.status(), 200);
    const counted = requests.filter((r) => ['document', 'stylesheet'].includes(r.resourceType()));
    assert.ok(counted.some((r) => r.resourceType() === 'stylesheet'), 'the CSS was loaded');
    let total = 0;
    for (const request of counted) {
      const sizes = await request.sizes();
      total += sizes.responseHeadersSize + sizes.responseBodySize;
    }
    assert.ok(total < HTML_CSS_BUDGET_BYTES, `HTML + CSS of /masuk is ${total} B, budget ${HTML_CSS_BUDGET_BYTES} B`);
    const foreign = requests.map((r) => r.url()).filter((u) => !u.startsWith(`${balai.origin}/`));
    assert.deepEqual(foreign, [], `requests leaving ${balai.origin}`);
    await context.close();
  });
});

describe('two-step verification for staff', () => {
  const balai = useBalai();

  it('an officer enrols (QR code, key), gets 10 recovery codes, then signs in with the next TOTP code', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const context = await balai.newContext();
    const page = await context.newPage();

    // First sign-in: the password alone leads to the enrolment page, not to the account.
    const first = await signIn(page, t, OFFICER);
    assertRedirect(first, '/masuk', '/masuk/pasang-2fa');
    assert.equal(first.last.headers()['cache-control'], 'no-store');
    const { secret, step } = await enrol(page, t, { axe: true });

    await continueToAccount(page, t);
    assert.equal(await summaryValue(page, t.account.name), OFFICER.name);
    assert.equal(await summaryValue(page, t.account.two_factor), t.account.on, '"Verifikasi dua langkah: Aktif"');
    await assertNoAxeViolations(page, '/akun (officer)');

    await signOut(page, t);

    // Second sign-in: the password leads to /masuk/kode.
    const again = await signIn(page, t, OFFICER);
    assertRedirect(again, '/masuk', '/masuk/kode');
    assert.equal(await h1Text(page), t.auth.code_heading);

    // The code used at enrolment was consumed: the same code is refused (still within the
    // server's window of one step either way unless this machine took over 30 s to get here).
    const reused = await submitCode(page, t, totpCode(secret, step), t.auth.code_button);
    assert.equal(reused.first.status(), 401, 'a code already used is refused');
    assert.equal(reused.all.length, 1);
    assert.equal(pathOf(page), '/masuk/kode');
    assert.equal(await textOf(page.getByRole('alert')), t.auth.code_wrong);
    await assertNoAxeViolations(page, '/masuk/kode with the error shown');

    // Half signed in, the account page is out of reach; the code page is still there.
    const account = await page.goto('/akun');
    assert.equal(new URL(account.url()).pathname, '/masuk', 'half signed in, /akun sends to /masuk');
    await page.goto('/masuk/kode');
    assert.equal(pathOf(page), '/masuk/kode');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error shown before a code was submitted');
    await assertNoAxeViolations(page, '/masuk/kode');

    // The code of the next step is accepted (the server allows one step of drift either way);
    // on a slow run that is already past, the current step's code is the next unused one.
    const next = await submitCode(page, t, totpCode(secret, Math.max(step + 1, totpStep())), t.auth.code_button);
    assertRedirect(next, '/masuk/kode', '/akun');
    assert.equal(await h1Text(page), t.account.heading);
    assert.equal(await summaryValue(page, t.account.two_factor), t.account.on);
    await context.close();
  });

  it('an admin must enrol too, and can sign in with a recovery code, without JavaScript', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();

    // The enrolment page, QR code included, stays within the page budget.
    const requests = [];
    page.on('request', (request) => requests.push(request));
    const first = await signIn(page, t, ADMIN);
    assertRedirect(first, '/masuk', '/masuk/pasang-2fa');
    await page.waitForLoadState('networkidle');
    const enrolDocument = first.last.request();
    const counted = [enrolDocument, ...requests.filter((r) => r.resourceType() === 'stylesheet')];
    let total = 0;
    for (const request of counted) {
      const sizes = await request.sizes();
      total += sizes.responseHeadersSize + sizes.responseBodySize;
    }
    assert.ok(total < HTML_CSS_BUDGET_BYTES, `HTML + CSS of /masuk/pasang-2fa is ${total} B, budget ${HTML_CSS_BUDGET_BYTES} B`);

    const { codes } = await enrol(page, t);
    await continueToAccount(page, t);
    assert.equal(await summaryValue(page, t.account.name), ADMIN.name);
    assert.equal(await summaryValue(page, t.account.two_factor), t.account.on);
    await signOut(page, t);

    const again = await signIn(page, t, ADMIN);
    assertRedirect(again, '/masuk', '/masuk/kode');
    assert.equal(await textOf(page.locator('#code-hint')), t.auth.code_hint);
    const recovered = await submitCode(page, t, codes[3], t.auth.code_button);
    assertRedirect(recovered, '/masuk/kode', '/akun');
    assert.equal(await summaryValue(page, t.account.name), ADMIN.name);
    await context.close();
  });
});

describe('sessions on My account', () => {
  const balai = useBalai();

  it('a second sign-in shows two sessions; ending the other one signs that browser out', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = balai.i18n.id;
    const first = await balai.newContext();
    const second = await balai.newContext({ userAgent: 'Balai e2e second browser' });
    const page = await first.newPage();
    const other = await second.newPage();
    assertRedirect(await signIn(page, t, CITIZEN), '/masuk', '/akun');
    assertRedirect(await signIn(other, t, CITIZEN), '/masuk', '/akun');

    await page.reload();
    const rows = page.locator('main table tbody tr');
    assert.equal(await rows.count(), 2, 'two live sessions');
    const current = rows.filter({ hasText: t.account.this_device });
    assert.equal(await current.count(), 1, 'one session is marked as this device');
    assert.equal(await current.getByRole('button').count(), 0, 'the current session has no "Akhiri sesi" button');
    const otherRow = rows.filter({ hasNotText: t.account.this_device });
    assert.match(await textOf(otherRow.locator('td').first()), /Balai e2e second browser/, 'the other session shows its browser');
    const end = page.getByRole('button', { name: t.account.end_session, exact: true });
    assert.equal(await end.count(), 1, 'one "Akhiri sesi" button, for the other session');
    await assertNoAxeViolations(page, '/akun with two sessions');

    const ended = await navigate(page, () => end.click());
    assert.equal(ended.first.request().method(), 'POST');
    assert.match(new URL(ended.first.url()).pathname, /^\/akun\/sesi\/[0-9a-f-]{36}\/akhiri$/);
    assertRedirect(ended, new URL(ended.first.url()).pathname, '/akun');
    assert.equal(await rows.count(), 1, 'one live session left');
    assert.equal(await rows.filter({ hasText: t.account.this_device }).count(), 1, 'the one left is this device');

    // The other browser is signed out.
    const response = await other.goto('/akun');
    assert.equal(response.status(), 200);
    assert.equal(new URL(other.url()).pathname, '/masuk', 'GET /akun redirects the ended session to /masuk');
    assert.equal(await h1Text(other), t.auth.sign_in_heading);
    const nav = other.getByRole('navigation', { name: t.nav.label });
    assert.equal(await nav.getByRole('link', { name: t.nav.sign_in, exact: true }).count(), 1);

    // The first browser is still signed in.
    await page.goto('/akun');
    assert.equal(pathOf(page), '/akun');
    await first.close();
    await second.close();
  });
});
