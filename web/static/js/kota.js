// Kota Hari Ini (/kota), the live city dashboard. The server renders the alerts and a table of
// every sensor's current values; this script (an ES module, with kota-*.js) only adds to it:
//   - live values: Server-Sent Events from /api/v1/city/stream update the table's cells (value,
//     state, time), the map and the charts in place; a change the table has no place for (a new
//     sensor, a new attribute) or a "reset" from the stream reloads the table from the server
//   - alerts: re-read from /api/v1/city/alerts after changes (the alert engine works behind the
//     writes) and every minute
//   - the map (kota-map.js), loaded when the reader opens it
//   - 24-hour charts (kota-charts.js) from the history API
// The words for a state are recomputed with the thresholds and words of /api/v1/city/levels
// (kota-levels.js), so the live table says what a reload would; until those have arrived, a
// state's words are left as they are. Screen readers hear at most one short polite sentence a
// minute, never each change. No inline script or style (the CSP forbids both).

import { createCharts } from './kota-charts.js';
import { fill, formatTime, levelOf, numberFormatter } from './kota-levels.js';
import { offerMap } from './kota-map.js';
import { decimalsOf, indexRows, nameOf, scaleOf, unitOf, valueItem } from './kota-rows.js';

const ANNOUNCE_EVERY_MS = 60000;
const RELOAD_EVERY_MS = 10000;
const ALERTS_AFTER_CHANGE_MS = 3000;
const ALERTS_EVERY_MS = 60000;

const root = document.querySelector('[data-kota]');
if (root) start(root);

function start(root) {
  const lang = root.getAttribute('data-lang') === 'en' ? 'en' : 'id';
  const types = (root.getAttribute('data-types') || '').split(',').filter(Boolean);
  const format = numberFormatter(lang);
  let settings = null; // GET /api/v1/city/levels
  let rows = indexRows();
  const time = (ms) => formatTime(ms, settings);
  const map = offerMap(() => rows);
  const chartList = document.querySelector('[data-kota-charts]');
  const charts = chartList ? createCharts(chartList, format) : { draw() {}, point() {} };

  // --- The table ---

  // Whether the table lacks a cell for an attribute of this type (then it is reloaded).
  function needsCell(type, attr) {
    return (((settings || {}).shown || {})[type] || []).includes(attr);
  }

  function applyChange(change) {
    const row = rows.get(change.id);
    if (change.deleted) {
      if (row) {
        row.remove();
        rows.delete(change.id);
        map.drop(change.id);
      }
      return false;
    }
    if (!row) {
      if (types.includes(change.type)) scheduleReload();
      return false;
    }
    const attrs = change.attrs || {};
    const at = Date.parse(change.modifiedAt);
    for (const attr of change.changed || []) {
      const item = valueItem(row, attr);
      if (!item) {
        if (needsCell(change.type, attr) && attrs[attr] !== null) scheduleReload();
        continue;
      }
      const number = item.querySelector('b');
      const value = attrs[attr];
      if (!number) continue;
      if (typeof value === 'number') {
        number.textContent = format(value * scaleOf(item), decimalsOf(item));
        charts.point(change.id, attr, value, Number.isFinite(at) ? at : Date.now());
      } else if (typeof value === 'string') {
        number.textContent = (((settings || {})[attr] || {}).words || {})[value] || value;
      }
    }
    if (typeof attrs.name === 'string' && attrs.name.trim()) row.querySelector('th').textContent = attrs.name.trim();
    const state = settings ? levelOf(change.type, attrs, settings) : undefined;
    if (state !== undefined) {
      const words = row.querySelector('[data-level-words]');
      const circle = row.querySelector('[data-level] circle');
      const table = document.querySelector('[data-kota-table]');
      if (words) words.textContent = state ? state.words : table.getAttribute('data-no-level');
      if (circle) circle.setAttribute('fill', state ? state.colour : 'none');
    }
    const observed = row.querySelector('time');
    if (observed && Number.isFinite(at)) {
      observed.textContent = time(at);
      observed.setAttribute('datetime', new Date(at).toISOString());
    }
    row.classList.add('kota-fresh');
    setTimeout(() => row.classList.remove('kota-fresh'), 2000);
    map.update(change.id);
    return true;
  }

  function touchUpdated() {
    const updated = document.querySelector('[data-kota-updated]');
    if (!updated) return;
    updated.textContent = time(Date.now());
    updated.setAttribute('datetime', new Date().toISOString());
  }

  // --- One polite sentence a minute at most ---

  const announcer = document.querySelector('[data-kota-announce]');
  let lastAnnounced = 0;
  let announceTimer = null;
  function announce() {
    if (!announcer || announceTimer) return;
    const wait = Math.max(0, lastAnnounced + ANNOUNCE_EVERY_MS - Date.now());
    announceTimer = setTimeout(() => {
      announceTimer = null;
      lastAnnounced = Date.now();
      announcer.textContent = fill(announcer.getAttribute('data-pattern'), { time: time(lastAnnounced) });
    }, wait);
  }

  // --- Reloading the table (and the alerts) when the stream says something it has no cell for ---

  let reloadTimer = null;
  let reloading = false;
  let reloadAgain = false; // something changed while a reload was on its way
  let lastReload = 0;
  function scheduleReload() {
    if (reloading) {
      reloadAgain = true;
      return;
    }
    if (reloadTimer) return;
    const wait = Math.max(0, lastReload + RELOAD_EVERY_MS - Date.now());
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      reload();
    }, wait);
  }

  function reload() {
    reloading = true;
    reloadAgain = false;
    lastReload = Date.now();
    fetch(window.location.pathname + '?lang=' + lang, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, 'text/html');
        ['kota-table-heading', 'kota-alerts-heading'].forEach((id) => {
          const now = document.getElementById(id);
          const next = fresh.getElementById(id);
          if (now && next) now.closest('section').replaceWith(document.importNode(next.closest('section'), true));
        });
        rows = indexRows();
        map.redraw();
        charts.draw(rows);
        touchUpdated();
      })
      .catch(() => {})
      .then(() => {
        reloading = false;
        if (reloadAgain) scheduleReload();
      });
  }

  // --- Alerts ---

  let alertsTimer = null;
  function scheduleAlerts(wait) {
    if (alertsTimer) return;
    alertsTimer = setTimeout(() => {
      alertsTimer = null;
      fetch('/api/v1/city/alerts?lang=' + lang, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
        .then((body) => showAlerts(Array.isArray(body.alerts) ? body.alerts : []))
        .catch(() => {});
    }, wait);
  }

  function showAlerts(alerts) {
    const list = document.querySelector('[data-kota-alerts]');
    const none = document.querySelector('[data-kota-no-alerts]');
    if (!list) return;
    const items = alerts.map((a) => {
      const severity = ['info', 'warning', 'danger'].includes(a.severity) ? a.severity : 'info';
      const li = document.createElement('li');
      li.className = 'kota-alert kota-alert--' + severity;
      const strong = document.createElement('strong');
      strong.className = 'kota-alert__severity';
      strong.textContent = (list.getAttribute('data-' + severity) || severity) + ':';
      const entity = (a.entity || {}).id || '';
      const row = rows.get(entity);
      // The value as the table writes that attribute (its decimals, scale and unit).
      const item = row ? valueItem(row, a.attr) : null;
      const unit = unitOf(item);
      const value = typeof a.value === 'number' ? format(a.value * scaleOf(item), decimalsOf(item)) + (unit ? ' ' + unit : '') : '';
      const when = document.createElement('span');
      when.className = 'kota-alert__time';
      const raised = document.createElement('time');
      const at = Date.parse(a.raisedAt);
      if (Number.isFinite(at)) {
        raised.setAttribute('datetime', new Date(at).toISOString());
        raised.textContent = time(at);
      }
      when.append('(' + (list.getAttribute('data-since') || '') + ' ', raised, ')');
      li.append(strong, ' ' + [a.title || '', row ? nameOf(row) : entity, value].filter(Boolean).join(', ') + ' ', when);
      return li;
    });
    list.replaceChildren(...items);
    list.hidden = items.length === 0;
    if (none) none.hidden = items.length > 0;
  }

  // --- The stream ---

  const liveNote = document.querySelector('[data-kota-live]');
  function live(state) {
    if (!liveNote) return;
    liveNote.hidden = false;
    liveNote.textContent = liveNote.getAttribute('data-' + state) || '';
    liveNote.classList.toggle('kota-live--off', state === 'off');
  }

  function follow() {
    if (!window.EventSource) return;
    live('connecting');
    const query = types.length ? '?type=' + encodeURIComponent(types.join(',')) : '';
    const stream = new EventSource('/api/v1/city/stream' + query);
    stream.addEventListener('open', () => live('on'));
    stream.addEventListener('error', () => live('off')); // the browser reconnects by itself
    stream.addEventListener('change', (event) => {
      let change;
      try {
        change = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (applyChange(change)) {
        touchUpdated();
        announce();
      }
      scheduleAlerts(ALERTS_AFTER_CHANGE_MS);
    });
    stream.addEventListener('reset', scheduleReload);
  }

  charts.draw(rows);
  fetch(root.getAttribute('data-levels'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((body) => {
      settings = body;
    })
    .catch(() => {})
    .then(follow);
  setInterval(() => scheduleAlerts(0), ALERTS_EVERY_MS);
}
