// Kota Hari Ini (/kota): a small chart of the last 24 hours for each row's data-charts
// attributes: a hand-drawn SVG line of the history API's hourly averages, to which live values
// are added; its text alternative says the lowest, highest and latest value. "No data yet" when
// the history has nothing or does not answer.

import { fill } from './kota-levels.js';
import { decimalsOf, nameOf, scaleOf, unitOf, valueItem } from './kota-rows.js';

const SVG = 'http://www.w3.org/2000/svg';
const DAY_MS = 24 * 3600 * 1000;

function historyUrl(chart) {
  const to = new Date();
  const from = new Date(to.getTime() - DAY_MS);
  const query = new URLSearchParams({
    attr: chart.attr,
    type: chart.row.getAttribute('data-type') || '',
    resolution: 'hour',
    from: from.toISOString(),
    to: to.toISOString(),
  });
  return '/api/v1/city/entities/' + encodeURIComponent(chart.id) + '/history?' + query.toString();
}

// `list`: the ul[data-kota-charts] (its data attributes hold the texts); `format(value,
// decimals)`: numbers as the table writes them. Returns {draw(rows), point(id, attr, value, at)}.
export function createCharts(list, format) {
  const charts = new Map(); // "<entity>\n<attr>" -> {id, row, attr, label, unit, points, ...}
  const key = (id, attr) => id + '\n' + attr;

  function render(chart) {
    const now = Date.now();
    const points = chart.points.filter((p) => p[0] >= now - DAY_MS).sort((a, b) => a[0] - b[0]);
    const old = chart.figure.querySelector('svg');
    if (old) old.remove();
    if (points.length === 0) {
      chart.status.textContent = list.getAttribute('data-no-data') || '';
      chart.status.hidden = false;
      return;
    }
    const item = valueItem(chart.row, chart.attr);
    const decimals = decimalsOf(item);
    const values = points.map((p) => p[1] * scaleOf(item));
    const min = Math.min(...values);
    const max = Math.max(...values);
    const width = 200;
    const height = 48;
    const span = max - min || 1;
    const x = (t) => (((t - (now - DAY_MS)) / DAY_MS) * (width - 8) + 4).toFixed(1);
    const y = (v) => (height - 4 - ((v - min) / span) * (height - 8)).toFixed(1);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'kota-chart__svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute(
      'aria-label',
      fill(list.getAttribute('data-summary'), {
        name: nameOf(chart.row),
        attr: chart.label,
        min: format(min, decimals),
        max: format(max, decimals),
        last: format(values[values.length - 1], decimals),
        unit: chart.unit,
      }),
    );
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.map((p, i) => x(p[0]) + ',' + y(values[i])).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#004f59');
    line.setAttribute('stroke-width', '2');
    line.setAttribute('vector-effect', 'non-scaling-stroke');
    line.setAttribute('stroke-linejoin', 'round');
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x(points[points.length - 1][0]));
    dot.setAttribute('cy', y(values[values.length - 1]));
    dot.setAttribute('r', '3');
    dot.setAttribute('fill', '#004f59');
    svg.append(line, dot);
    chart.status.hidden = true;
    chart.figure.appendChild(svg);
  }

  function load(chart) {
    fetch(historyUrl(chart), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((body) =>
        (Array.isArray(body.points) ? body.points : [])
          .map((p) => [Date.parse(p.t), typeof p.avg === 'number' ? p.avg : p.value])
          .filter((p) => Number.isFinite(p[0]) && typeof p[1] === 'number' && Number.isFinite(p[1])),
      )
      .catch(() => [])
      .then((points) => {
        // Live values that came while the history was on its way stay on the line.
        chart.points = points.concat(chart.points || []);
        render(chart);
      });
  }

  function draw(rows) {
    const section = list.closest('[data-kota-charts-section]');
    charts.clear();
    list.replaceChildren();
    rows.forEach((row, id) => {
      (row.getAttribute('data-charts') || '').split(',').filter(Boolean).forEach((attr) => {
        const item = valueItem(row, attr);
        if (!item) return;
        const li = document.createElement('li');
        li.className = 'kota-chart';
        const figure = document.createElement('figure');
        const caption = document.createElement('figcaption');
        const unit = unitOf(item);
        const label = item.firstChild ? item.firstChild.textContent.trim() : attr;
        caption.textContent = nameOf(row) + ', ' + label + (unit ? ' (' + unit + ')' : '');
        const status = document.createElement('p');
        status.className = 'kota-chart__empty';
        status.textContent = list.getAttribute('data-loading') || '';
        figure.append(caption, status);
        li.appendChild(figure);
        list.appendChild(li);
        const chart = { id, row, attr, label, unit, points: null, figure, status };
        charts.set(key(id, attr), chart);
        load(chart);
      });
    });
    if (section) section.hidden = charts.size === 0;
  }

  // A live value joins its chart's line; points older than a day fall off its left end.
  function point(id, attr, value, at) {
    const chart = charts.get(key(id, attr));
    if (!chart) return;
    if (chart.points === null) {
      chart.points = [[at, value]]; // drawn with the history when it arrives
      return;
    }
    chart.points.push([at, value]);
    render(chart);
  }

  return { draw, point };
}
