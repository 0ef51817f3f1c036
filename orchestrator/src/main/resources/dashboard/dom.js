// Building DOM nodes and formatting values. Text always goes in as text nodes, never as HTML, so a
// task title such as "<img onerror=…>" shows as written.

/**
 * h('a', {href: '#/x', class: 'card'}, 'text', child, [more]) → an element. Attributes that are
 * null, undefined or false are left out; `on<event>` attributes become listeners; `data` is an
 * object of data-* attributes.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'data') {
      for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = dv;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A status badge: the text says the status, the class only colours it. */
export function badge(status) {
  const s = status || 'unknown';
  return h('span', {class: `badge s-${s.replace(/[^a-z_]/g, '')}`}, s.replaceAll('_', ' '));
}

/** A <time> with the local time of day (date too when not today) and the full UTC time as title. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const today = new Date().toDateString() === d.toDateString();
  const text = today
    ? d.toLocaleTimeString([], {hour12: false})
    : d.toLocaleString([], {hour12: false, dateStyle: 'short', timeStyle: 'medium'});
  return h('time', {datetime: iso, title: iso}, text);
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

/** Money as dollars; unknown cost is not zero, so it shows as "unknown". */
export function money(usd) {
  if (usd === null || usd === undefined || usd === '') return 'unknown';
  const n = Number(usd);
  return Number.isFinite(n) ? `$${n.toFixed(n < 1 ? 4 : 2)}` : String(usd);
}

export function num(v, digits = 2) {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? String(Number(n.toFixed(digits))) : String(v);
}

export function bytes(b) {
  if (b === null || b === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Number(b);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** "#/tasks/<id>" with the id encoded. */
export function href(view, id) {
  return id ? `#/${view}/${encodeURIComponent(id)}` : `#/${view}`;
}

/** A link to an aggregate's detail, marked so that focus can come back to it after a redraw. */
export function detailLink(view, id, text, cls) {
  return h('a', {href: href(view, id), class: cls, data: {key: `${view}:${id}`}}, text ?? id);
}

/** A definition list from [label, value] pairs, skipping pairs whose value is empty. */
export function facts(pairs) {
  const dl = h('dl', {class: 'facts'});
  for (const [label, value] of pairs) {
    if (value === null || value === undefined || value === '' ||
        (Array.isArray(value) && value.length === 0)) continue;
    dl.append(h('dt', {}, label), h('dd', {}, value));
  }
  return dl;
}

/** A table with a caption, column headers and rows of cells (each a node or text). */
export function table(caption, headers, rows, cls) {
  return h('table', {class: cls},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) =>
      i === 0 ? h('th', {scope: 'row'}, c) : h('td', {}, c))))));
}

/** The first defined value of the named fields: the API may name a field one way or another. */
export function pick(obj, ...names) {
  for (const n of names) {
    if (obj && obj[n] !== undefined && obj[n] !== null) return obj[n];
  }
  return null;
}

export function list(items, render = (x) => x) {
  return (items || []).length ? (items || []).map(render).reduce((a, b) => [a, ', ', b]) : null;
}
