// Kota Hari Ini (/kota): reading the server-rendered table's rows (one per sensor:
// tr[data-entity][data-type], the name in th, li[data-attr] values with the number in <b> and
// the unit after it, the state in [data-level], the time in <time>, the type last).

export function nameOf(row) {
  const th = row.querySelector('th');
  return th ? th.textContent.trim() : row.getAttribute('data-entity');
}

export function valueItem(row, attr) {
  return Array.from(row.querySelectorAll('li[data-attr]')).find((li) => li.getAttribute('data-attr') === attr) || null;
}

// The unit a value is written in: the text after its number ("cm", "km/jam").
export function unitOf(item) {
  const number = item ? item.querySelector('b') : null;
  return number && number.nextSibling ? number.nextSibling.textContent.trim() : '';
}

export function decimalsOf(item) {
  return Number((item && item.getAttribute('data-decimals')) || 0);
}

// Occupancy is stored as a ratio and shown in percent: shown = stored × scale.
export function scaleOf(item) {
  return Number((item && item.getAttribute('data-scale')) || 1);
}

export function stateOf(row) {
  const words = row.querySelector('[data-level-words]');
  const circle = row.querySelector('[data-level] circle');
  return { words: words ? words.textContent : '', colour: circle ? circle.getAttribute('fill') : 'none' };
}

// Every row of the table now on the page, by entity id.
export function indexRows() {
  const rows = new Map();
  document.querySelectorAll('[data-kota-table] tr[data-entity]').forEach((tr) => rows.set(tr.getAttribute('data-entity'), tr));
  return rows;
}
