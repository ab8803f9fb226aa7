// Kota Hari Ini (/kota): numbers, times and the words for a sensor's state, written as the
// server writes them (dashboard_model.cpp), with the thresholds and words it hands out at
// GET /api/v1/city/levels. Pure functions; no DOM.

export function fill(pattern, values) {
  return (pattern || '').replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
}

function num(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

// "1.234,5" in Indonesian, "1,234.5" in English; never "-0".
export function numberFormatter(lang) {
  const formats = {};
  return (value, decimals) => {
    const d = Math.max(0, Math.min(6, decimals | 0));
    if (!formats[d]) {
      formats[d] = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: d, maximumFractionDigits: d });
    }
    const rounded = Number(value.toFixed(d));
    return formats[d].format(rounded === 0 ? 0 : rounded);
  };
}

// "14.05 WIB" on the city's clock today, else "27 Nov 14.05 WIB" (settings: the zone, its
// offset, the months and the clock's separator).
export function formatTime(ms, settings) {
  if (!settings) return new Date(ms).toISOString();
  const offset = (settings.offset_minutes || 0) * 60000;
  const local = new Date(ms + offset);
  const today = new Date(Date.now() + offset);
  const pad = (n) => String(n).padStart(2, '0');
  const clock = pad(local.getUTCHours()) + (settings.time_separator || '.') + pad(local.getUTCMinutes()) + ' ' + (settings.zone || '');
  const sameDay =
    local.getUTCFullYear() === today.getUTCFullYear() && local.getUTCMonth() === today.getUTCMonth() && local.getUTCDate() === today.getUTCDate();
  if (sameDay) return clock;
  return local.getUTCDate() + ' ' + ((settings.months || [])[local.getUTCMonth()] || '') + ' ' + clock;
}

function level(settings, group, key) {
  const g = settings[group] || {};
  return { words: (g.words || {})[key] || key, colour: (g.colours || {})[key] || 'none' };
}

// congestion_level (rules.cpp): the speed as a share of the road's free-flow speed, else what a
// camera sent.
function congestion(attrs, settings) {
  const speed = num(attrs.averageVehicleSpeed);
  const free = num(attrs.freeFlowSpeed);
  const names = ['free_flow', 'moderate', 'heavy', 'jammed'];
  if (speed !== null && free !== null && free > 0 && speed >= 0) {
    const shares = (settings.congestion || {}).shares || [];
    let rank = shares.findIndex((share) => speed >= share * free);
    if (rank < 0) rank = names.length - 1;
    return level(settings, 'congestion', names[rank]);
  }
  if (names.includes(attrs.congestionLevel)) return level(settings, 'congestion', attrs.congestionLevel);
  return null;
}

// rain_intensity: a boundary belongs to the lighter class.
function rain(attrs, settings) {
  const rate = num(attrs.precipitation);
  if (rate === null || rate < 0) return null;
  const names = ['none', 'light', 'moderate', 'heavy', 'very_heavy'];
  const rank = ((settings.rain || {}).bounds || []).filter((bound) => rate > bound).length;
  return level(settings, 'rain', names[Math.min(rank, names.length - 1)]);
}

// river_stage: strictly above a stage's threshold, with the gauge's own alertLevels.
function river(attrs, settings) {
  const value = num(attrs.waterLevel);
  const stages = attrs.alertLevels || {};
  const w = num(stages.waspada);
  const s = num(stages.siaga);
  const a = num(stages.awas);
  if (value === null || w === null || s === null || a === null || w < 0 || !(w < s && s < a)) return null;
  const key = value > a ? 'awas' : value > s ? 'siaga' : value > w ? 'waspada' : 'normal';
  return level(settings, 'river', key);
}

// ispu_index (ispu.cpp): interpolation between the regulation's breakpoints, rounded half up.
function ispuIndex(table, x, max) {
  if (x < 0) return null;
  if (x >= table[table.length - 1][0]) return max;
  for (let i = 1; i < table.length; i += 1) {
    const [xa, ia] = table[i];
    if (x > xa) continue;
    const [xb, ib] = table[i - 1];
    return Math.floor(((ia - ib) / (xa - xb)) * (x - xb) + ib + 0.5);
  }
  return max;
}

// The station's own index when it sends one, else an indication from its concentrations (the
// highest pollutant index; on a tie the one listed first, as overall_ispu).
function airQuality(attrs, settings) {
  const ispu = settings.ispu;
  if (!ispu) return null;
  let index = null;
  let dominant = null;
  const sent = num(attrs.ispu);
  if (sent !== null && sent >= 0) {
    index = Math.round(sent);
  } else {
    Object.keys(ispu.breakpoints).forEach((pollutant) => {
      const c = num(attrs[pollutant]);
      const i = c === null ? null : ispuIndex(ispu.breakpoints[pollutant], c, ispu.max);
      if (i !== null && (index === null || i > index)) {
        index = i;
        dominant = pollutant;
      }
    });
  }
  if (index === null) return null;
  let category = ispu.categories[0];
  ispu.categories.forEach((c) => {
    if (index >= c.min) category = c;
  });
  const words = dominant
    ? fill(ispu.pattern_dominant, { index, category: category.words, pollutant: ispu.names[dominant] })
    : fill(ispu.pattern, { index, category: category.words });
  return { words, colour: category.colour };
}

function incident(attrs, settings) {
  const words = (settings.severity || {}).words || {};
  return typeof attrs.severity === 'string' && attrs.severity in words ? level(settings, 'severity', attrs.severity) : null;
}

const rules = {
  TrafficFlowObserved: congestion,
  WeatherObserved: rain,
  WaterLevelObserved: river,
  AirQualityObserved: airQuality,
  SecurityIncident: incident,
};

// {words, colour} of an entity's state from all its attributes (a stream event's "attrs");
// null when its values say nothing; undefined for a type without a rule.
export function levelOf(type, attrs, settings) {
  const rule = rules[type];
  return rule ? rule(attrs, settings) : undefined;
}
