// Small helpers for building pages as HTML strings: one innerHTML write per region is the fastest
// way to put a large table on the page, and the html tag escapes every value that is not marked raw.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

class Raw { constructor(s) { this.s = s; } toString() { return this.s; } }
/** Marks already-built HTML so the html tag does not escape it again. */
export const raw = (s) => new Raw(s);

function piece(value) {
  if (value instanceof Raw) return value.s;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === null || value === undefined || value === false) return '';
  return esc(value);
}

/** html`<p>${text}</p>`: values are escaped, arrays joined, raw() kept; returns a Raw. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new Raw(out);
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export function setHtml(element, content) {
  element.innerHTML = piece(content);
  return element;
}

/** Says something to screen readers (the shell's polite live region). */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // a fresh text node after a tick, so the same words are announced twice in a row
  setTimeout(() => { region.textContent = message; }, 30);
}

export function toast(message, kind = '') {
  const box = document.getElementById('toasts');
  const item = document.createElement('div');
  item.className = `toast ${kind}`;
  item.textContent = message;
  box.append(item);
  setTimeout(() => item.remove(), 5000);
}

export const loading = (what = 'Loading') => html`<div class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${what}…</div>`;

export function emptyState(title, text, action = '') {
  return html`<div class="empty"><h3>${title}</h3><p>${text}</p>${action}</div>`;
}

// ---- formatting ----

const STATUS_TONE = {
  running: 'ok', ready: 'ok', completed: 'ok', up: 'ok', ok: 'ok', active: 'ok', true: 'ok',
  deploying: 'info', in_progress: 'info', progressing: 'info', pending: 'info', starting: 'info', canary: 'info',
  degraded: 'warn', unready: 'warn', terminating: 'warn', drain: 'warn', rolled_back: 'warn', expired: 'warn',
  failed: 'bad', down: 'bad', error: 'bad', denied: 'bad', revoked: 'bad', false: 'bad',
};

/** A status badge; the word itself is the text, so its meaning never rests on colour alone. */
export function badge(status, label) {
  const key = String(status ?? 'unknown').toLowerCase();
  const tone = STATUS_TONE[key] ?? STATUS_TONE[key.split(' ')[0]] ?? '';
  return html`<span class="badge ${tone}">${label ?? key.replace(/_/g, ' ')}</span>`;
}

export function timeAgo(value) {
  if (!value) return '—';
  const at = new Date(value);
  const seconds = Math.round((Date.now() - at.getTime()) / 1000);
  if (Number.isNaN(seconds)) return '—';
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export const when = (value) => (value ? html`<time datetime="${value}" title="${new Date(value).toLocaleString()}">${timeAgo(value)}</time>` : '—');

export function clock(value) {
  if (!value) return '';
  return new Date(value).toLocaleTimeString([], { hour12: false });
}

export function number(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString();
  return Number(value).toFixed(value % 1 === 0 ? 0 : digits);
}

export function percent(ratio) {
  if (ratio === null || ratio === undefined) return '—';
  return `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.01 ? 2 : 1)}%`;
}

export function bytes(value) {
  if (value === null || value === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = value;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}

/** A datetime-local input's value for a Date (local time, minutes). */
export function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
