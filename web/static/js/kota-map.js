// Kota Hari Ini (/kota): the sensors on a map, drawn with Leaflet as the complaints maps are
// (the same vendored files and tile settings; with no tile server configured the markers sit
// on a plain background inside the city's box, so no third party learns who looks). Leaflet's
// 15 KB of CSS and 150 KB of script are fetched when the reader opens the map, so the page
// itself stays small (the 50 KB budget; phones on metered data). One keyboard-reachable marker
// per sensor with a place: a dot in its state's colour, its name and state in words, and a
// popup with its values.

import { nameOf, stateOf } from './kota-rows.js';

const SVG = 'http://www.w3.org/2000/svg';

function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const element = document.createElement(tag);
    Object.keys(attributes).forEach((name) => element.setAttribute(name, attributes[name]));
    element.addEventListener('load', resolve);
    element.addEventListener('error', reject);
    document.head.appendChild(element);
  });
}

// Leaflet puts attributions in as HTML; the configured text is shown as text.
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
}

function markerContent(row) {
  const state = stateOf(row);
  const holder = document.createElement('span');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const circle = document.createElementNS(SVG, 'circle');
  circle.setAttribute('cx', '10');
  circle.setAttribute('cy', '10');
  circle.setAttribute('r', '8');
  circle.setAttribute('fill', state.colour && state.colour !== 'none' ? state.colour : '#ffffff');
  circle.setAttribute('stroke', '#0b0c0c');
  circle.setAttribute('stroke-width', '2.5');
  svg.appendChild(circle);
  const label = document.createElement('span');
  label.className = 'visually-hidden';
  label.textContent = nameOf(row) + ': ' + state.words;
  holder.append(svg, label);
  return holder;
}

function popupOf(row) {
  const box = document.createElement('div');
  if (!row) return box;
  const title = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = nameOf(row);
  title.appendChild(strong);
  const kind = document.createElement('p');
  kind.textContent = row.querySelector('td:last-child').textContent;
  const list = row.querySelector('ul');
  const values = list ? list.cloneNode(true) : document.createElement('ul');
  const state = document.createElement('p');
  state.textContent = stateOf(row).words;
  const when = document.createElement('p');
  const time = row.querySelector('time');
  when.textContent = time ? time.textContent : '';
  box.append(title, kind, values, state, when);
  return box;
}

// Offers the map behind its toggle button. `rows()` gives the table's rows (they are replaced
// when the table reloads). Returns {redraw(), update(id), drop(id)} for the live updates.
export function offerMap(rows) {
  const holder = document.querySelector('[data-kota-map]');
  const toggle = document.querySelector('[data-kota-map-toggle]');
  const markers = new Map();
  let L = null;
  let map = null;

  function redraw() {
    if (!map) return;
    markers.forEach((m) => m.remove());
    markers.clear();
    rows().forEach((row, id) => {
      const lat = Number(row.getAttribute('data-lat'));
      const lon = Number(row.getAttribute('data-lon'));
      if (!row.hasAttribute('data-lat') || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
      const icon = L.divIcon({ className: 'kota-marker', html: markerContent(row), iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -11] });
      const marker = L.marker([lat, lon], { icon, keyboard: true, title: nameOf(row) });
      marker.bindPopup(() => popupOf(rows().get(id)));
      markers.set(id, marker.addTo(map));
    });
  }

  function update(id) {
    const marker = markers.get(id);
    const row = rows().get(id);
    if (!marker || !row) return;
    // The icon's content changes in place: a new icon would take the keyboard focus away.
    const element = marker.getElement();
    if (element) element.replaceChildren(markerContent(row));
    if (marker.isPopupOpen()) marker.getPopup().setContent(popupOf(row));
  }

  function drop(id) {
    const marker = markers.get(id);
    if (marker) marker.remove();
    markers.delete(id);
  }

  function draw() {
    L = window.L;
    const tiles = holder.getAttribute('data-map-tiles') || '';
    const parts = (holder.getAttribute('data-map-area') || '').split(',').map(Number);
    const area = parts.length === 4 && parts.every(Number.isFinite) ? L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]) : null;
    map = L.map(holder, { zoomControl: false, attributionControl: false, minZoom: 10, maxZoom: 19, zoomSnap: 0.5 });
    L.control
      .zoom({ zoomInTitle: holder.getAttribute('data-zoom-in') || 'Zoom in', zoomOutTitle: holder.getAttribute('data-zoom-out') || 'Zoom out' })
      .addTo(map);
    if (tiles) {
      L.control.attribution({ prefix: false }).addTo(map);
      L.tileLayer(tiles, { maxZoom: 19, attribution: escapeHtml(holder.getAttribute('data-map-attribution') || '') }).addTo(map);
    }
    if (area) {
      L.rectangle(area, { color: '#004f59', weight: 2, dashArray: '6 4', fill: !tiles, fillColor: '#ffffff', fillOpacity: 0.8, interactive: false }).addTo(map);
      map.fitBounds(area);
    } else {
      map.setView([-2.5, 118], 10);
    }
    // The popup's close button, in the page's language.
    const close = holder.getAttribute('data-close');
    map.on('popupopen', (event) => {
      const button = event.popup.getElement() && event.popup.getElement().querySelector('.leaflet-popup-close-button');
      if (button && close) button.setAttribute('aria-label', close);
    });
    redraw();
  }

  if (holder && toggle) {
    const section = holder.closest('[data-kota-map-section]');
    if (section) section.hidden = false;
    const showText = toggle.textContent;
    let loading = null;
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? toggle.getAttribute('data-hide') : showText;
      holder.hidden = !open;
      if (!open || map) {
        if (map) map.invalidateSize();
        return;
      }
      loading =
        loading ||
        Promise.all([
          load('link', { rel: 'stylesheet', href: holder.getAttribute('data-leaflet-css') }),
          load('script', { src: holder.getAttribute('data-leaflet-js') }),
        ]);
      loading.then(draw).catch(() => {
        loading = null; // a failed load may be tried again
      });
    });
  }
  return { redraw, update, drop };
}
