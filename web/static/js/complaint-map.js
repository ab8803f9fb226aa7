// Maps of complaints, drawn with Leaflet (web/static/vendor/leaflet) only when JavaScript runs;
// without it the pages still say everything in text (the list, the village, the coordinates).
// Three kinds of container, each a [data-complaint-map] element:
//   "list"   pins for the reports listed on the page ([data-complaint][data-lat] items), each
//            opening a popup that links to the report (/pengaduan)
//   "pick"   the report form's map: a click, "mark the centre" or "use my location" drops one
//            pin that fills the form's hidden lat/lon fields; the form hears a "balai:pin" event
//            (detail {lat, lon}, or null when the pin is removed) (/pengaduan/baru)
//   "point"  one report's place (its status page), drawn only when a tile server is configured:
//            without tiles the page's own small SVG map says as much
// The city's area ("south,west,north,east") is outlined; with no tile server configured
// (data-map-tiles empty) the pins sit on a plain background, so no third party learns who looks.
// Leaflet's stylesheet is loaded here, so pages without JavaScript never download it.
// Plain ES2017, no inline script or style (the CSP forbids both).
'use strict';

(function () {
  const L = window.L;
  const containers = document.querySelectorAll('[data-complaint-map]');
  if (!L || containers.length === 0) return;

  function fill(pattern, values) {
    return (pattern || '').replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }

  // Leaflet puts attributions in as HTML; the configured text is shown as text.
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  }

  function areaOf(text) {
    const parts = (text || '').split(',').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
    return L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]);
  }

  let stylesheet = null;
  function loadStylesheet(href) {
    if (!stylesheet) {
      stylesheet = new Promise((resolve, reject) => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = href;
        link.addEventListener('load', resolve);
        link.addEventListener('error', reject);
        document.head.appendChild(link);
      });
    }
    return stylesheet;
  }

  // A map in `el` with the city's area outlined; settings come from `source`'s data attributes.
  function baseMap(el, source) {
    const tiles = source.getAttribute('data-map-tiles') || '';
    const area = areaOf(source.getAttribute('data-map-area'));
    const map = L.map(el, { zoomControl: false, attributionControl: false, minZoom: 10, maxZoom: 19, zoomSnap: 0.5 });
    L.control
      .zoom({ zoomInTitle: source.getAttribute('data-zoom-in') || 'Zoom in', zoomOutTitle: source.getAttribute('data-zoom-out') || 'Zoom out' })
      .addTo(map);
    if (tiles) {
      L.control.attribution({ prefix: false }).addTo(map);
      L.tileLayer(tiles, { maxZoom: 19, attribution: escapeHtml(source.getAttribute('data-map-attribution') || '') }).addTo(map);
    }
    if (area) {
      L.rectangle(area, {
        color: '#004f59',
        weight: 2,
        dashArray: '6 4',
        fill: !tiles,
        fillColor: '#ffffff',
        fillOpacity: 0.8,
        interactive: false,
      }).addTo(map);
      map.fitBounds(area);
    } else {
      map.setView([-2.5, 118], 10);
    }
    // The popup's close button, in the page's language.
    const close = source.getAttribute('data-close');
    map.on('popupopen', (event) => {
      const button = event.popup.getElement() && event.popup.getElement().querySelector('.leaflet-popup-close-button');
      if (button && close) button.setAttribute('aria-label', close);
    });
    return { map, area };
  }

  function reveal(el) {
    const section = el.closest('[data-map-section]');
    if (section) section.hidden = false;
    return section || el;
  }

  function listMap(el) {
    reveal(el);
    const { map, area } = baseMap(el, el);
    const markers = [];
    document.querySelectorAll('[data-complaint][data-lat]').forEach((item) => {
      const lat = Number(item.getAttribute('data-lat'));
      const lon = Number(item.getAttribute('data-lon'));
      const link = item.querySelector('a[href]');
      if (!link || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
      const title = link.textContent.trim();
      const popup = document.createElement('a');
      popup.href = link.getAttribute('href');
      popup.textContent = title;
      markers.push(L.marker([lat, lon], { alt: title, title, keyboard: true }).bindPopup(popup).addTo(map));
    });
    if (!area && markers.length > 0) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2));
  }

  function pickMap(el) {
    const section = reveal(el);
    const form = el.closest('form');
    const latInput = document.getElementById(el.getAttribute('data-lat-input'));
    const lonInput = document.getElementById(el.getAttribute('data-lon-input'));
    const status = section.querySelector('[data-pin-status]');
    const label = el.getAttribute('data-pin-label') || '';
    if (!form || !latInput || !lonInput) return;
    const { map, area } = baseMap(el, el);
    let marker = null;

    function say(text) {
      if (status) status.textContent = text;
    }
    function tell(detail) {
      form.dispatchEvent(new CustomEvent('balai:pin', { detail }));
    }
    function place(latlng) {
      if (area && !area.contains(latlng)) {
        say(el.getAttribute('data-pin-outside'));
        return false;
      }
      const lat = latlng.lat.toFixed(6);
      const lon = latlng.lng.toFixed(6);
      latInput.value = lat;
      lonInput.value = lon;
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { draggable: true, keyboard: true, alt: label, title: label }).addTo(map);
        marker.on('dragend', () => place(marker.getLatLng()));
      }
      say(fill(el.getAttribute('data-pin-set'), { lat, lon }));
      tell({ lat, lon });
      return true;
    }
    function clear() {
      if (marker) marker.remove();
      marker = null;
      latInput.value = '';
      lonInput.value = '';
      say(el.getAttribute('data-pin-none'));
      tell(null);
    }

    map.on('click', (event) => place(event.latlng));
    const center = section.querySelector('[data-pin-center]');
    if (center) center.addEventListener('click', () => place(map.getCenter()));
    const remove = section.querySelector('[data-pin-clear]');
    if (remove) remove.addEventListener('click', clear);
    const locate = section.querySelector('[data-pin-locate]');
    if (locate && !navigator.geolocation) locate.remove();
    else if (locate) {
      locate.addEventListener('click', () => {
        say(el.getAttribute('data-pin-locating'));
        navigator.geolocation.getCurrentPosition(
          (position) => {
            const here = L.latLng(position.coords.latitude, position.coords.longitude);
            if (place(here)) map.setView(here, 17);
          },
          () => say(el.getAttribute('data-pin-locate-failed')),
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
        );
      });
    }

    // The pin the form came back with (it was sent, and something else needs correcting).
    const lat = Number(latInput.value);
    const lon = Number(lonInput.value);
    if (latInput.value && lonInput.value && Number.isFinite(lat) && Number.isFinite(lon)) {
      const latlng = L.latLng(lat, lon);
      marker = L.marker(latlng, { draggable: true, keyboard: true, alt: label, title: label }).addTo(map);
      marker.on('dragend', () => place(marker.getLatLng()));
      map.setView(latlng, 16);
    }
  }

  function pointMap(figure) {
    if (!figure.getAttribute('data-map-tiles')) return;
    const lat = Number(figure.getAttribute('data-lat'));
    const lon = Number(figure.getAttribute('data-lon'));
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
    const holder = document.createElement('div');
    holder.className = 'complaint-map';
    holder.setAttribute('role', 'region');
    holder.setAttribute('aria-label', figure.getAttribute('data-pin-label') || '');
    const drawing = figure.querySelector('svg');
    figure.insertBefore(holder, drawing);
    if (drawing) drawing.remove();
    const { map } = baseMap(holder, figure);
    const label = figure.getAttribute('data-pin-label') || '';
    L.marker([lat, lon], { alt: label, title: label, keyboard: false }).addTo(map);
    map.setView([lat, lon], 17);
  }

  const draw = { list: listMap, pick: pickMap, point: pointMap };
  containers.forEach((el) => {
    const kind = el.getAttribute('data-complaint-map');
    const css = el.getAttribute('data-leaflet-css');
    if (!draw[kind] || !css) return;
    loadStylesheet(css)
      .then(() => draw[kind](el))
      .catch(() => {});  // no stylesheet: the page stays as it is without JavaScript
  });
})();
