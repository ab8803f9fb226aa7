// Kota Hari Ini (/kota), the live city dashboard, in Chromium: a river gauge, a road, a weather
// station and an air station are registered over NGSI-v2 with an integrator token (made with
// `balai token create` on the server's data directory); the page shows them in its table (in
// Bahasa Indonesia and English), draws them on the map when asked (no tile server: a plain
// background, nothing fetched from elsewhere), passes axe, stays within the 50 KB HTML + CSS
// budget, shows readings posted during the test (and the flood alert they raise, and a new
// sensor) without a reload (the SSE stream), works without JavaScript and at 360 px wide.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, loadI18n } from './support/balai.mjs';
import { assertNoAxeViolations, assertScriptsDisabled, collapse, h1Text, launchBrowser, newContext } from './support/browser.mjs';
import { balaiBin, sourceDir, startServer } from './support/server.mjs';

const HTML_CSS_BUDGET_BYTES = 50 * 1024;

const RIVER = 'kali-madiun-uji';
const ROAD = 'jalan-uji';
const WEATHER = 'cuaca-uji';
const AIR = 'udara-uji';
const ENTITIES = [
  {
    id: RIVER,
    type: 'WaterLevelObserved',
    name: { type: 'Text', value: 'Kali Madiun, Pos Uji' },
    location: { type: 'geo:point', value: '-7.6300, 111.5030' },
    alertLevels: { type: 'StructuredValue', value: { waspada: 140, siaga: 170, awas: 200 } },
  },
  {
    id: ROAD,
    type: 'TrafficFlowObserved',
    name: { type: 'Text', value: 'Jl. Uji Coba' },
    location: { type: 'geo:point', value: '-7.6290, 111.5236' },
    freeFlowSpeed: { type: 'Number', value: 40 },
  },
  {
    id: WEATHER,
    type: 'WeatherObserved',
    name: { type: 'Text', value: 'Stasiun Cuaca Uji' },
    location: { type: 'geo:point', value: '-7.6302, 111.5286' },
  },
  {
    id: AIR,
    type: 'AirQualityObserved',
    name: { type: 'Text', value: 'Stasiun Udara Uji' },
    location: { type: 'geo:point', value: '-7.6480, 111.5150' },
  },
];

/** Module catalogs (web/i18n/<module>/<lang>.json) merged over the main one. */
async function catalog(lang) {
  const merged = await loadI18n(lang);
  const file = path.join(sourceDir(), 'web', 'i18n', 'city_dashboard', `${lang}.json`);
  return Object.assign(merged, JSON.parse(await readFile(file, 'utf8')));
}

/** Runs `balai <args>` on the server's data directory; resolves to its stdout. */
function cli(dataDir, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(balaiBin(), args, {
      env: { ...process.env, BALAI_DATA_DIR: dataDir, BALAI_WEB_DIR: path.join(sourceDir(), 'web') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`balai ${args.join(' ')}: exit ${code}\n${err}`))));
  });
}

function watchScripts(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  return problems;
}

/** HTML + CSS transferred for the page's document and stylesheets. */
async function transferred(requests) {
  let total = 0;
  for (const request of requests.filter((r) => ['document', 'stylesheet'].includes(r.resourceType()))) {
    const sizes = await request.sizes();
    total += sizes.responseHeadersSize + sizes.responseBodySize;
  }
  return total;
}

describe('city dashboard', () => {
  let server;
  let browser;
  let token;
  const contexts = new Set();
  const i18n = {};

  async function api(method, target, body) {
    const res = await fetch(server.origin + target, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${target}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async function post(readings) {
    const answer = await api('POST', '/api/v1/city/readings', { readings });
    assert.equal(answer.accepted, readings.length, JSON.stringify(answer.refused));
  }

  async function context(options) {
    const c = await newContext(browser, server.origin, options);
    contexts.add(c);
    c.once('close', () => contexts.delete(c));
    return c;
  }

  /** The table row of an entity. */
  function row(page, id) {
    return page.locator(`[data-kota-table] tr[data-entity="${id}"]`);
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    i18n.id = await catalog('id');
    i18n.en = await catalog('en');
    const created = await cli(server.dataDir, ['token', 'create', '--role', 'integrator', '--name', 'e2e dashboard']);
    token = /^token: (\S+)$/m.exec(created)?.[1];
    assert.ok(token, `a token was printed:\n${created}`);
    for (const entity of ENTITIES) await api('POST', '/v2/entities', entity);
    const now = Date.now();
    const readings = [];
    for (const [minutesAgo, level] of [[90, 120], [60, 131], [30, 142], [10, 150]]) {
      readings.push({ entity: RIVER, attr: 'waterLevel', value: level, observedAt: new Date(now - minutesAgo * 60000).toISOString() });
    }
    readings.push({ entity: ROAD, attr: 'averageVehicleSpeed', value: 14, observedAt: new Date(now - 60000).toISOString() });
    readings.push({ entity: ROAD, attr: 'intensity', value: 1234, observedAt: new Date(now - 60000).toISOString() });
    readings.push({ entity: WEATHER, attr: 'temperature', value: 27.5 });
    readings.push({ entity: WEATHER, attr: 'precipitation', value: 12.5 });
    readings.push({ entity: AIR, attr: 'pm25', value: 40 });
    await post(readings);
  }, { timeout: TEST_TIMEOUT_MS });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    if (browser) await browser.close();
    if (server) {
      const wasRunning = server.running;
      const { code, signal, timedOut, stderr } = await server.stop();
      assert.ok(wasRunning, `balai died during the tests (code ${code}, signal ${signal}):\n${stderr}`);
      assert.ok(!timedOut, `balai did not stop within the deadline after SIGTERM:\n${stderr}`);
      assert.equal(code, 0, `balai should exit 0 on SIGTERM (signal ${signal}):\n${stderr}`);
    }
  }, { timeout: TEST_TIMEOUT_MS });

  for (const lang of ['id', 'en']) {
    it(`shows every sensor in its table and on its map, passes axe and the budget (${lang})`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const t = i18n[lang].city_dashboard;
      const c = await context();
      const page = await c.newPage();
      const problems = watchScripts(page);
      const requests = [];
      page.on('request', (request) => requests.push(request));
      const response = await page.goto(`/kota?lang=${lang}`, { waitUntil: 'networkidle' });
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await h1Text(page), t.heading);

      const table = page.getByRole('table', { name: t.table.caption });
      assert.equal(await table.count(), 1, 'the table is named by its caption');
      const headers = (await table.locator('thead th[scope="col"]').allTextContents()).map(collapse);
      assert.deepEqual(headers, [t.table.name, t.table.level, t.table.values, t.table.observed, t.table.type]);
      const river = row(page, RIVER);
      assert.equal(collapse(await river.locator('th[scope="row"]').textContent()), 'Kali Madiun, Pos Uji');
      assert.match(collapse(await river.textContent()), new RegExp(`${t.attrs.waterLevel} 150 ${t.units.CMT}`));
      assert.equal(collapse(await river.locator('[data-level-words]').textContent()), t.river.waspada);
      assert.match(collapse(await river.locator('time').textContent()), /^\d{2}[.:]\d{2} WIB$/);
      const road = row(page, ROAD);
      assert.equal(collapse(await road.locator('[data-level-words]').textContent()), lang === 'en' ? 'Heavy' : 'Padat');
      assert.match(collapse(await road.textContent()), lang === 'en' ? /1,234 vehicles\/h/ : /1\.234 kendaraan\/jam/);
      assert.equal(collapse(await row(page, WEATHER).locator('[data-level-words]').textContent()), t.rain.heavy);
      assert.match(collapse(await row(page, AIR).locator('[data-level-words]').textContent()), /^ISPU 81, /);

      await assertNoAxeViolations(page, `/kota?lang=${lang}`);
      const total = await transferred(requests);
      assert.ok(total < HTML_CSS_BUDGET_BYTES, `HTML + CSS of /kota is ${total} B, budget ${HTML_CSS_BUDGET_BYTES} B`);

      // The map, when the reader opens it: one marker per sensor with a place, on a plain
      // background.
      const toggle = page.getByRole('button', { name: t.map.show, exact: true });
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.click();
      const opened = page.locator('[data-kota-map-toggle]');
      assert.equal(await opened.getAttribute('aria-expanded'), 'true');
      assert.equal(collapse(await opened.textContent()), t.map.hide);
      const map = page.getByRole('region', { name: t.map.label, exact: true });
      await map.locator('.kota-marker').first().waitFor();
      const placed = await page.locator('[data-kota-table] tr[data-lat]').count();
      assert.equal(await map.locator('.kota-marker').count(), placed, 'one marker per sensor with a place');
      assert.equal(await map.locator('.leaflet-tile').count(), 0, 'no tile server: a plain background');
      // A marker's popup says the sensor's values (keyboard: focus it, Enter).
      const marker = map.getByRole('button', { name: new RegExp(`^Kali Madiun, Pos Uji: `) });
      await marker.focus();
      await page.keyboard.press('Enter');
      await map.locator('.leaflet-popup-content').getByText('Kali Madiun, Pos Uji').waitFor();

      // The charts settle on a line or on "no data yet", never stay "loading".
      const charts = page.locator('[data-kota-charts] > li');
      assert.ok((await charts.count()) >= 4, 'a chart per sensor at least');
      await page.waitForFunction(
        (loading) => Array.from(document.querySelectorAll('[data-kota-charts] .kota-chart__empty')).every((p) => p.hidden || p.textContent !== loading),
        t.charts.loading,
      );
      for (const svg of await page.locator('[data-kota-charts] svg').all()) {
        assert.equal(await svg.getAttribute('role'), 'img');
        assert.ok((await svg.getAttribute('aria-label')).length > 10, 'a chart says what it shows');
      }

      await assertNoAxeViolations(page, `/kota?lang=${lang} with the map open`);
      const foreign = requests.map((r) => r.url()).filter((u) => !u.startsWith(`${server.origin}/`));
      assert.deepEqual(foreign, [], `requests leaving ${server.origin}`);
      assert.deepEqual(problems, [], 'no script errors or CSP refusals');
      await c.close();
    });
  }

  it('shows a reading posted while it is open, without a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id.city_dashboard;
    const c = await context();
    const page = await c.newPage();
    const problems = watchScripts(page);
    await page.goto('/kota');
    await page.locator('[data-kota-live]').getByText(t.live.on).waitFor();
    await page.evaluate(() => {
      window.kotaTestMarker = 'still the same page';
    });
    const river = row(page, RIVER);
    assert.equal(collapse(await river.locator('[data-level-words]').textContent()), t.river.waspada);

    // Above the default flood rule's 150 cm for six minutes: the rule raises its alert, and the
    // page lists it without a reload too.
    const sixMinutesAgo = new Date(Date.now() - 6 * 60000).toISOString();
    await post([{ entity: RIVER, attr: 'waterLevel', value: 160, observedAt: sixMinutesAgo }]);
    await post([{ entity: RIVER, attr: 'waterLevel', value: 188 }]);
    await river.locator('li b').getByText('188', { exact: true }).waitFor();
    assert.equal(collapse(await river.locator('[data-level-words]').textContent()), t.river.siaga);
    await page.locator('[data-kota-alerts] li').filter({ hasText: 'Kali Madiun, Pos Uji' }).waitFor();
    assert.equal(await page.locator('[data-kota-no-alerts]').isVisible(), false);
    assert.equal(await page.evaluate(() => window.kotaTestMarker), 'still the same page', 'no reload');
    // Screen readers hear one short sentence, not each value.
    const live = page.locator('[aria-live], [role="status"], [role="alert"]');
    assert.equal(await live.count(), 1, 'one live region');
    await page.locator('[data-kota-announce]').getByText(/WIB/).waitFor();

    // A new sensor appears too (the table reloads itself).
    await api('POST', '/v2/entities', {
      id: 'kali-madiun-uji-2',
      type: 'WaterLevelObserved',
      name: { type: 'Text', value: 'Kali Madiun, Pos Uji Kedua' },
      location: { type: 'geo:point', value: '-7.6100, 111.5070' },
    });
    await post([{ entity: 'kali-madiun-uji-2', attr: 'waterLevel', value: 99 }]);
    await row(page, 'kali-madiun-uji-2').locator('li b').getByText('99', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => window.kotaTestMarker), 'still the same page', 'no reload');
    await assertNoAxeViolations(page, '/kota after live updates');
    assert.deepEqual(problems, [], 'no script errors or CSP refusals');
    await c.close();
  });

  it('works without JavaScript: the table holds every value', { timeout: TEST_TIMEOUT_MS }, async () => {
    const t = i18n.id.city_dashboard;
    const c = await context({ javaScriptEnabled: false });
    await assertScriptsDisabled(c);
    const page = await c.newPage();
    const response = await page.goto('/kota');
    assert.equal(response.status(), 200);
    assert.equal(await page.getByRole('table', { name: t.table.caption }).count(), 1);
    assert.match(collapse(await row(page, ROAD).textContent()), /Kecepatan 14 km\/jam/);
    assert.equal(await page.locator('[data-kota-map-section]').isVisible(), false, 'no empty map');
    assert.equal(await page.locator('[data-kota-charts-section]').isVisible(), false, 'no empty charts');
    await c.close();

    // axe needs JavaScript itself: the page as it stands without its scripts is checked in a
    // context where only the page's own scripts are refused.
    const scriptless = await context();
    const checked = await scriptless.newPage();
    await checked.route(/\/static\/.*\.js$/, (route) => route.abort());
    await checked.goto('/kota', { waitUntil: 'networkidle' });
    assert.equal(await checked.locator('[data-kota-live]').isVisible(), false, 'no live updates claimed');
    await assertNoAxeViolations(checked, '/kota without its scripts');
    await scriptless.close();
  });

  it('fits a 360 px wide phone: nothing but the table scrolls sideways', { timeout: TEST_TIMEOUT_MS }, async () => {
    const c = await context({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await c.newPage();
    await page.goto('/kota', { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: i18n.id.city_dashboard.map.show, exact: true }).click();
    await page.locator('.kota-marker').first().waitFor();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
    }));
    assert.ok(widths.page <= widths.viewport, `the page is ${widths.page} px wide in a ${widths.viewport} px viewport`);
    const wrap = page.locator('.kota-table-wrap');
    assert.equal(await wrap.getAttribute('tabindex'), '0', 'the scrolling table can be reached by keyboard');
    const map = await page.locator('[data-kota-map]').boundingBox();
    assert.ok(map.width <= 360 && map.width > 300, `the map fits: ${map.width} px`);
    await assertNoAxeViolations(page, '/kota at 360 px');
    await c.close();
  });
});
