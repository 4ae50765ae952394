// Line charts as inline SVG strings: no library, one string per chart. Each chart carries a title
// and a text summary (min, max, now) for screen readers; the drawing itself is aria-hidden.
import { html, raw, esc, clock } from './dom.js';

const W = 560;
const H = 170;
const PAD = { left: 44, right: 12, top: 10, bottom: 22 };

function niceMax(value) {
  if (!(value > 0)) return 1;
  if (value <= 1) for (const top of [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1]) if (top >= value) return top;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/**
 * points: [{at, ...}], value(point) -> number|null, format(number) -> text.
 * A missing value breaks the line rather than drawing it at zero.
 */
export function lineChart({ id, title, points: all, value, format = (v) => String(v), color = '#2563eb', integer = false, floor = 1 }) {
  // the axis starts at the first sample: an app that is minutes old is not drawn as an hour of nothing
  const first = all.findIndex((p) => { const v = value(p); return v !== null && v !== undefined && !Number.isNaN(v); });
  const points = first < 0 ? all : all.slice(Math.max(0, first - 1));
  const values = points.map(value);
  const present = values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
  const now = present.length ? present[present.length - 1] : null;
  const head = html`<div class="chart-title"><h3 id="${id}-title">${title}</h3><span class="chart-now">${now === null ? '—' : format(now)}</span></div>`;
  if (!points.length || !present.length) {
    return html`<div class="card chart-card"><div class="card-body">${head}<p class="muted" style="margin:40px 0;text-align:center">No data yet</p></div></div>`;
  }
  // floor: the smallest top of the axis, so that a quiet series is drawn low rather than filling the chart
  const max = niceMax(Math.max(Math.max(...present) * (integer ? 1.25 : 1.1), floor));
  const t0 = new Date(points[0].at).getTime();
  const t1 = Math.max(new Date(points[points.length - 1].at).getTime(), t0 + 1);
  const x = (at) => PAD.left + ((new Date(at).getTime() - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  let line = '';
  let area = '';
  let run = [];
  const flush = () => {
    if (run.length) {
      line += `M${run.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join('L')}`;
      area += `M${run[0][0].toFixed(1)},${y(0).toFixed(1)}L${run.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join('L')}L${run[run.length - 1][0].toFixed(1)},${y(0).toFixed(1)}Z`;
    }
    run = [];
  };
  points.forEach((p, i) => {
    const v = values[i];
    if (v === null || v === undefined || Number.isNaN(v)) flush(); else run.push([x(p.at), y(v)]);
  });
  flush();
  const grid = [0, 0.5, 1].map((f) => {
    const gy = y(max * f);
    return `<line class="grid-line" x1="${PAD.left}" x2="${W - PAD.right}" y1="${gy}" y2="${gy}"/><text class="axis-label" x="${PAD.left - 6}" y="${gy + 3}" text-anchor="end">${esc(format(max * f))}</text>`;
  }).join('');
  const times = `<text class="axis-label" x="${PAD.left}" y="${H - 6}">${esc(clock(points[0].at))}</text><text class="axis-label" x="${W - PAD.right}" y="${H - 6}" text-anchor="end">${esc(clock(points[points.length - 1].at))}</text>`;
  const summary = `${title}: now ${format(now)}, highest ${format(Math.max(...present))}, lowest ${format(Math.min(...present))}, from ${clock(points[0].at)} to ${clock(points[points.length - 1].at)}.`;
  return html`<figure class="card chart-card" style="margin:0" aria-labelledby="${id}-title" aria-describedby="${id}-summary"><div class="card-body">
    ${head}
    <svg class="chart" viewBox="0 0 ${W} ${H}" aria-hidden="true" focusable="false" data-chart="${id}">
      ${raw(grid)}${raw(times)}
      <path class="area" d="${area}" fill="${color}"/>
      <path class="series" d="${line}" stroke="${color}"/>
    </svg>
    <figcaption id="${id}-summary" class="visually-hidden">${summary}</figcaption>
  </div></figure>`;
}
