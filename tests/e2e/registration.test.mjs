// Registering a citizen account in Bahasa Indonesia: the form (a wrong NIK first, shown in the
// error summary that links to the field and at the field itself), the codes sent to the email
// and by SMS (read from the development outbox, /api/v1/dev/outbox), the confirmation, signing
// in, and Data Saya. Every page passes axe. The region picker also works without JavaScript
// (its "refresh" button) without losing what was typed.
//
// The server runs with notify.dev_outbox on (BALAI_NOTIFY_DEV_OUTBOX, read by `balai serve`
// from the environment this process passes on), so no mail server or SMS gateway is needed.
// Registrations are limited to 5 per address in a burst: each server here sees at most 2.
//
// The second part follows the account further: the citizen sends a KTP photo, a correction
// request and a consent; an officer of Disdukcapil (TOTP enrolled on the way) verifies the
// identity and answers the request; the citizen then sees who read their data. Every page of
// the way passes axe.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, useBalai } from './support/balai.mjs';
import { assertNoAxeViolations, assertScriptsDisabled, collapse, h1Text } from './support/browser.mjs';
import { sourceDir } from './support/server.mjs';
import { totpCode, totpStep } from './support/totp.mjs';

process.env.BALAI_NOTIFY_DEV_OUTBOX = 'true';

const HTML_CSS_BUDGET_BYTES = 50 * 1024;
const OFFICER = { login: 'petugas@demo.balai.id', password: 'brem caruban manis legit', name: 'Petugas Dukcapil' };
// A 1 x 1 PNG: the officer's page shows it as the KTP photo.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const OUTBOX_DEADLINE_MS = 15_000;

// A woman born on 1 July 1990 in Kartoharjo, Kota Madiun (district 35.77.01; day 41 = 1 + 40).
const CITIZEN = {
  nik: '3577014107900001',
  wrongNik: '35770141079',
  name: 'Siti Rahayu',
  day: '1',
  month: '7',
  year: '1990',
  street: 'Jl. Pahlawan No. 37, RT 02/RW 05',
  district: '35.77.01',
  village: '35.77.01.1001',
  villageName: 'Oro-oro Ombo',
  phone: '0812 3456 7890',
  phoneE164: '+6281234567890',
  email: 'siti.rahayu@contoh.id',
  password: 'sambal tumpang pagi hari',
};

/** Module catalogs (web/i18n/<module>/<lang>.json) merged over the main one. */
async function catalog(base, lang) {
  const merged = { ...base };
  for (const module of ['identity', 'regions']) {
    const file = path.join(sourceDir(), 'web', 'i18n', module, `${lang}.json`);
    Object.assign(merged, JSON.parse(await readFile(file, 'utf8')));
  }
  return merged;
}

/** Runs a click that submits or follows, waits for the page, returns the document responses. */
async function navigate(page, action) {
  const responses = [];
  const onResponse = (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) responses.push(response);
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

/** The newest code of `kind` sent to `to`, polled from the development outbox with a deadline. */
async function codeFor(origin, to, kind) {
  const deadline = Date.now() + OUTBOX_DEADLINE_MS;
  for (;;) {
    const res = await fetch(`${origin}/api/v1/dev/outbox`);
    assert.equal(res.status, 200, 'the development outbox is on');
    const { messages } = await res.json();
    const message = messages.find((m) => m.to === to && m.kind === kind);
    const match = message && /: (\d{6})/.exec(message.body);
    if (match) return match[1];
    assert.ok(Date.now() < deadline, `no ${kind} message to ${to} within ${OUTBOX_DEADLINE_MS} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** HTML + CSS transferred for the page's document and stylesheets. */
async function transferred(page, requests) {
  let total = 0;
  for (const request of requests.filter((r) => ['document', 'stylesheet'].includes(r.resourceType()))) {
    const sizes = await request.sizes();
    total += sizes.responseHeadersSize + sizes.responseBodySize;
  }
  return total;
}

/** Fills every field of the registration form on the page (with JavaScript: the picker fetches). */
async function fillRegistration(page, t, nik) {
  const main = page.getByRole('main');
  await main.getByLabel(t.identity.fields.nik_label, { exact: true }).fill(nik);
  await main.getByLabel(t.identity.fields.full_name_label, { exact: true }).fill(CITIZEN.name);
  await main.getByLabel(t.identity.fields.day, { exact: true }).fill(CITIZEN.day);
  await main.getByLabel(t.identity.fields.month, { exact: true }).fill(CITIZEN.month);
  await main.getByLabel(t.identity.fields.year, { exact: true }).fill(CITIZEN.year);
  await main.getByLabel(t.identity.fields.female, { exact: true }).check();
  await main.getByLabel(t.identity.fields.street_label, { exact: true }).fill(CITIZEN.street);
  await main.getByLabel(t.regions.picker.district, { exact: true }).selectOption(CITIZEN.district);
  const village = main.getByLabel(t.regions.picker.village, { exact: true });
  await village.locator(`option[value="${CITIZEN.village}"]`).waitFor({ state: 'attached' });
  await village.selectOption(CITIZEN.village);
  await main.getByLabel(t.identity.fields.phone_label, { exact: true }).fill(CITIZEN.phone);
  await main.getByLabel(t.identity.fields.email_label, { exact: true }).fill(CITIZEN.email);
  await main.getByLabel(t.identity.fields.new_password_label, { exact: true }).fill(CITIZEN.password);
}

describe('registering a citizen account', () => {
  const balai = useBalai();
  const i18n = {};

  before(async () => {
    i18n.id = await catalog(balai.i18n.id, 'id');
    i18n.en = await catalog(balai.i18n.en, 'en');
  });

  it('registers with a NIK (after fixing a wrong one), confirms both codes, signs in and sees Data Saya', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id;
    const context = await balai.newContext();
    const page = await context.newPage();

    // The sign-in page leads to registration.
    await page.goto('/masuk');
    await navigate(page, () => page.getByRole('main').getByRole('link', { name: t.identity.links.register, exact: true }).click());
    assert.equal(pathOf(page), '/daftar');
    assert.equal(await h1Text(page), t.identity.register.heading);
    assert.equal(await page.getByRole('alert').count(), 0, 'no error before anything was submitted');
    const privacy = page.getByRole('link', { name: t.identity.register.privacy_link, exact: true });
    assert.match(await privacy.getAttribute('href'), /^\/layanan\/[a-z0-9-]+\/privasi$/);
    await assertNoAxeViolations(page, '/daftar');

    // A NIK that is too short: 422, the summary links to the field, the field says why.
    await fillRegistration(page, t, CITIZEN.wrongNik);
    const refused = await navigate(page, () => page.getByRole('button', { name: t.identity.register.button, exact: true }).click());
    assert.equal(refused.first.status(), 422);
    assert.equal(refused.all.length, 1, 'no redirect after a refusal');
    const summary = page.getByRole('alert');
    assert.equal(await summary.count(), 1);
    assert.equal(collapse(await summary.getByRole('heading').textContent()), t.identity.form.error_heading);
    const link = summary.getByRole('link', { name: t.identity.errors.nik.wrong_length, exact: true });
    assert.equal(await link.getAttribute('href'), '#nik');
    const nik = page.locator('#nik');
    assert.equal(collapse(await page.locator('#nik-error').textContent()), `${t.identity.form.error_prefix} ${t.identity.errors.nik.wrong_length}`);
    assert.match(await nik.getAttribute('aria-describedby'), /\bnik-error\b/, 'the field points to its message');
    assert.equal(await nik.inputValue(), CITIZEN.wrongNik, 'what was typed is kept');
    assert.equal(await page.locator('#full-name').inputValue(), CITIZEN.name);
    assert.equal(await page.getByLabel(t.regions.picker.village, { exact: true }).inputValue(), CITIZEN.village);
    assert.equal(await page.locator('#password').inputValue(), '', 'the password is never sent back');
    await assertNoAxeViolations(page, '/daftar with a wrong NIK');
    await link.click();
    assert.equal(new URL(page.url()).hash, '#nik');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'nik', 'the summary link moves focus to the field');

    // Corrected: 303 to the confirmation page.
    await nik.fill(CITIZEN.nik);
    await page.locator('#password').fill(CITIZEN.password);
    const made = await navigate(page, () => page.getByRole('button', { name: t.identity.register.button, exact: true }).click());
    assert.equal(made.first.status(), 303);
    assert.match(pathOf(page), /^\/daftar\/konfirmasi\?akun=[0-9a-f-]{36}$/);
    assert.equal(await h1Text(page), t.identity.confirm.heading);
    await assertNoAxeViolations(page, '/daftar/konfirmasi');

    const emailCode = await codeFor(balai.origin, CITIZEN.email, 'identity.confirm_email');
    const phoneCode = await codeFor(balai.origin, CITIZEN.phoneE164, 'identity.confirm_phone');
    await page.getByLabel(t.identity.confirm.email_code_label, { exact: true }).fill(emailCode);
    await page.getByLabel(t.identity.confirm.phone_code_label, { exact: true }).fill(phoneCode);
    const confirmed = await navigate(page, () => page.getByRole('button', { name: t.identity.confirm.button, exact: true }).click());
    assert.equal(confirmed.first.status(), 303);
    assert.equal(confirmed.last.status(), 200);
    assert.equal(await h1Text(page), t.identity.confirm.active_heading);
    await assertNoAxeViolations(page, 'account active');

    // Sign in with the NIK, then Data Saya.
    await navigate(page, () => page.getByRole('main').getByRole('link', { name: t.identity.confirm.sign_in_button, exact: true }).click());
    assert.equal(pathOf(page), '/masuk');
    const main = page.getByRole('main');
    await main.getByLabel(t.auth.login_label, { exact: true }).fill(CITIZEN.nik);
    await main.getByLabel(t.auth.password_label, { exact: true }).fill(CITIZEN.password);
    const signedIn = await navigate(page, () => main.getByRole('button', { name: t.auth.sign_in_button, exact: true }).click());
    assert.equal(signedIn.first.status(), 303);

    const requests = [];
    page.on('request', (request) => requests.push(request));
    const mine = await page.goto('/data-saya', { waitUntil: 'networkidle' });
    assert.equal(mine.status(), 200);
    assert.equal(mine.headers()['cache-control'], 'no-store');
    assert.equal(await h1Text(page), t.identity.my_data.heading);
    const personal = collapse(await page.locator('#data-pribadi').locator('xpath=..').textContent());
    for (const part of [CITIZEN.nik, CITIZEN.name, '1 Juli 1990', t.identity.fields.female, CITIZEN.villageName, CITIZEN.phoneE164, CITIZEN.email, t.identity.assurance.unverified]) {
      assert.ok(personal.includes(part), `Data Saya shows ${part}`);
    }
    assert.equal(collapse(await page.locator('[data-access-empty]').textContent()), t.identity.my_data.access_empty);
    const total = await transferred(page, requests);
    assert.ok(total < HTML_CSS_BUDGET_BYTES, `HTML + CSS of /data-saya is ${total} B, budget ${HTML_CSS_BUDGET_BYTES} B`);
    const foreign = requests.map((r) => r.url()).filter((u) => !u.startsWith(`${balai.origin}/`));
    assert.deepEqual(foreign, [], `requests leaving ${balai.origin}`);
    await assertNoAxeViolations(page, '/data-saya');
    await context.close();
  });

  it('without JavaScript, the region picker refreshes the next level and keeps what was typed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id;
    const context = await balai.newContext({ javaScriptEnabled: false });
    await assertScriptsDisabled(context);
    const page = await context.newPage();
    await page.goto('/daftar');
    const main = page.getByRole('main');
    await main.getByLabel(t.identity.fields.full_name_label, { exact: true }).fill(CITIZEN.name);
    await main.getByLabel(t.regions.picker.district, { exact: true }).selectOption(CITIZEN.district);
    const village = main.getByLabel(t.regions.picker.village, { exact: true });
    assert.equal(await village.locator(`option[value="${CITIZEN.village}"]`).count(), 0, 'no villages before the refresh');
    const refreshed = await navigate(page, () => main.getByRole('button', { name: t.regions.picker.refresh, exact: true }).click());
    assert.equal(refreshed.first.status(), 200);
    assert.equal(await page.getByRole('alert').count(), 0, 'a refresh is not an error');
    assert.equal(collapse(await village.locator(`option[value="${CITIZEN.village}"]`).textContent()), CITIZEN.villageName);
    assert.equal(await page.locator('#full-name').inputValue(), CITIZEN.name, 'the name typed is kept');
    // (axe needs page scripts, so it checks this markup in the journey above, with JavaScript.)
    await context.close();
  });

  it('the password and transparency pages, and the form in English, pass axe', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await balai.newContext();
    const page = await context.newPage();
    for (const [target, heading] of [
      ['/lupa-sandi?lang=id', i18n.id.identity.forgot.heading],
      ['/lupa-sandi/atur?lang=id', i18n.id.identity.reset.heading],
      ['/transparansi?lang=id', i18n.id.identity.transparency.heading],
      ['/daftar?lang=en', i18n.en.identity.register.heading],
    ]) {
      const response = await page.goto(target);
      assert.equal(response.status(), 200, target);
      assert.equal(await h1Text(page), heading, target);
      await assertNoAxeViolations(page, target);
    }
    // Asking for a code shows the reset form with the same answer, account or not (back in
    // Indonesian: ?lang=en above stored English in the lang cookie).
    await page.goto('/lupa-sandi?lang=id');
    await page.getByLabel(i18n.id.identity.fields.login_label, { exact: true }).fill('tidak.ada@contoh.id');
    const asked = await navigate(page, () => page.getByRole('button', { name: i18n.id.identity.forgot.button, exact: true }).click());
    assert.equal(asked.first.status(), 200);
    assert.equal(await h1Text(page), i18n.id.identity.reset.heading);
    assert.equal(collapse(await page.getByRole('status').textContent()), i18n.id.identity.reset.sent.replace('{minutes}', '15'));
    await assertNoAxeViolations(page, 'the reset form after asking for a code');
    await context.close();
  });
});

/** Registers CITIZEN through the JSON API and confirms both codes from the outbox. */
async function registerByApi(origin) {
  const post = (path, body) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const made = await post('/api/v1/auth/register', {
    nik: CITIZEN.nik,
    full_name: CITIZEN.name,
    birth_date: '1990-07-01',
    sex: 'female',
    street: CITIZEN.street,
    village_code: CITIZEN.village,
    phone: CITIZEN.phone,
    email: CITIZEN.email,
    password: CITIZEN.password,
  });
  assert.equal(made.status, 201, 'POST /api/v1/auth/register');
  const { id } = await made.json();
  for (const [channel, to, kind] of [
    ['email', CITIZEN.email, 'identity.confirm_email'],
    ['phone', CITIZEN.phoneE164, 'identity.confirm_phone'],
  ]) {
    const confirmed = await post('/api/v1/auth/register/confirm', { id, channel, code: await codeFor(origin, to, kind) });
    assert.equal(confirmed.status, 200, `confirm ${channel}`);
  }
}

/** Signs in through /masuk in a fresh page of `context`; staff enrol TOTP on the way. */
async function signIn(context, t, login, password) {
  const page = await context.newPage();
  await page.goto('/masuk?lang=id');
  const main = page.getByRole('main');
  await main.getByLabel(t.auth.login_label, { exact: true }).fill(login);
  await main.getByLabel(t.auth.password_label, { exact: true }).fill(password);
  await navigate(page, () => main.getByRole('button', { name: t.auth.sign_in_button, exact: true }).click());
  if (new URL(page.url()).pathname === '/masuk/pasang-2fa') {
    const secret = collapse(await page.locator('code[data-secret]').textContent());
    await main.getByLabel(t.auth.code_label, { exact: true }).fill(totpCode(secret, totpStep()));
    await navigate(page, () => main.getByRole('button', { name: t.auth.enrol_button, exact: true }).click());
    await navigate(page, () => main.getByRole('link', { name: t.auth.recovery_continue, exact: true }).click());
  }
  assert.equal(new URL(page.url()).pathname, '/akun', `${login} is signed in`);
  return page;
}

describe('Data Saya and the officers who verify identities and answer requests', () => {
  const balai = useBalai();
  const i18n = {};

  before(async () => {
    i18n.id = await catalog(balai.i18n.id, 'id');
  });

  it('photo, request and consent; the officer verifies and answers; the citizen sees who read the data', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const t = i18n.id;
    await registerByApi(balai.origin);
    const citizenContext = await balai.newContext();
    const citizen = await signIn(citizenContext, t, CITIZEN.nik, CITIZEN.password);
    await citizen.goto('/data-saya');

    // A photo of the KTP (multipart, no JavaScript needed).
    await citizen.getByLabel(t.identity.my_data.ktp_label, { exact: true }).setInputFiles({ name: 'ktp.png', mimeType: 'image/png', buffer: PNG });
    const sent = await navigate(citizen, () => citizen.getByRole('button', { name: t.identity.my_data.ktp_button, exact: true }).click());
    assert.equal(sent.first.status(), 303);
    assert.equal(pathOf(citizen), '/data-saya?ok=ktp');
    assert.equal(collapse(await citizen.getByRole('status').textContent()), t.identity.my_data.ok.ktp);

    // A correction request, and a consent.
    await citizen.getByLabel(t.identity.request_kind.correction, { exact: true }).check();
    await citizen.getByLabel(t.identity.my_data.request_details_label, { exact: true }).fill('Nama saya seharusnya Siti Rahayu Ningsih.');
    assert.equal((await navigate(citizen, () => citizen.getByRole('button', { name: t.identity.my_data.request_button, exact: true }).click())).first.status(), 303);
    await citizen.getByLabel(t.identity.consent.notifications_email.label, { exact: true }).check();
    assert.equal((await navigate(citizen, () => citizen.getByRole('button', { name: t.identity.my_data.consents_button, exact: true }).click())).first.status(), 303);
    await assertNoAxeViolations(citizen, '/data-saya with a request and a consent');

    // The officer: the queue, the purpose, the case with the photo, the decision.
    const officerContext = await balai.newContext();
    const officer = await signIn(officerContext, t, OFFICER.login, OFFICER.password);
    await officer.goto('/petugas/verifikasi');
    assert.equal(await h1Text(officer), t.identity.officer.queue_heading);
    assert.equal(await officer.locator('[data-case]').count(), 1, 'one identity waits');
    await assertNoAxeViolations(officer, '/petugas/verifikasi');
    await navigate(officer, () => officer.getByRole('link', { name: new RegExp(`^${t.identity.officer.open_case}`) }).click());
    assert.equal(await officer.getByLabel(t.identity.officer.purpose_label, { exact: true }).inputValue(), t.identity.officer.default_purpose);
    await assertNoAxeViolations(officer, 'the purpose form');
    await navigate(officer, () => officer.getByRole('button', { name: t.identity.officer.open_button, exact: true }).click());
    const photo = officer.getByRole('img', { name: t.identity.officer.photo_alt, exact: true });
    await photo.waitFor();
    assert.ok(await photo.evaluate((img) => img.complete && img.naturalWidth === 1), 'the KTP photo is shown');
    assert.ok(collapse(await officer.locator('main').textContent()).includes(CITIZEN.nik));
    await assertNoAxeViolations(officer, 'the case with the photo');
    await officer.getByLabel(t.identity.officer.verify_option, { exact: true }).check();
    const decided = await navigate(officer, () => officer.getByRole('button', { name: t.identity.officer.decide_button, exact: true }).click());
    assert.equal(decided.first.status(), 303);
    assert.equal(collapse(await officer.getByRole('status').textContent()), t.identity.officer.decided);
    assert.equal(await officer.locator('[data-case]').count(), 0, 'nothing waits any more');

    // The data request: the queue, the request with the requester's data, the answer.
    await officer.goto('/petugas/permintaan-data');
    assert.equal(await h1Text(officer), t.identity.officer.requests_heading);
    await assertNoAxeViolations(officer, '/petugas/permintaan-data');
    await navigate(officer, () => officer.getByRole('button', { name: new RegExp(`^${t.identity.officer.open_request}`) }).click());
    assert.equal(collapse(await officer.locator('[data-details]').textContent()), 'Nama saya seharusnya Siti Rahayu Ningsih.');
    await assertNoAxeViolations(officer, 'one data request');
    await officer.getByLabel(t.identity.officer.result_done, { exact: true }).check();
    await officer.getByLabel(t.identity.officer.outcome_label, { exact: true }).fill('Nama sudah diperbaiki.');
    const answered = await navigate(officer, () => officer.getByRole('button', { name: t.identity.officer.outcome_button, exact: true }).click());
    assert.equal(answered.first.status(), 303);
    assert.equal(collapse(await officer.getByRole('status').textContent()), t.identity.officer.handled);

    // The citizen sees the decision, the answer and who read what, and why.
    const requests = [];
    citizen.on('request', (request) => requests.push(request));
    await citizen.goto('/data-saya', { waitUntil: 'networkidle' });
    const access = collapse(await citizen.locator('#akses').locator('xpath=..').textContent());
    for (const part of [OFFICER.name, t.identity.officer.default_purpose, t.identity.object.ktp_photo, t.identity.object.citizen, t.identity.object.data_request]) {
      assert.ok(access.includes(part), `the access log shows ${part}`);
    }
    assert.ok(collapse(await citizen.locator('[data-assurance]').textContent()).startsWith(t.identity.assurance.verified));
    const request = collapse(await citizen.locator('[data-request]').textContent());
    assert.ok(request.includes(t.identity.request_status.done) && request.includes('Nama sudah diperbaiki.'));
    const total = await transferred(citizen, requests);
    assert.ok(total < HTML_CSS_BUDGET_BYTES, `HTML + CSS of a full /data-saya is ${total} B, budget ${HTML_CSS_BUDGET_BYTES} B`);
    await assertNoAxeViolations(citizen, '/data-saya with the access log filled');
    await citizenContext.close();
    await officerContext.close();
  });
});
