// An app at a glance: status, releases, instances ready/total, traffic, its gateway route and DNS
// name, the current rollout, and charts of the last hour from the console's metrics read model.
import { get, del, enc, query } from '../api.js';
import { html, setHtml, $, badge, when, number, percent, bytes, loading, toast } from '../dom.js';
import { lineChart } from '../charts.js';
import { mountRollout } from '../rollout.js';
import { navigate } from '../main.js';

export async function render(panel, { app, page, signal }) {
  setHtml(panel, html`
    <div class="grid four" id="ov-tiles" style="margin-bottom:16px">${loading('Loading status')}</div>
    <section aria-labelledby="charts-title" style="margin-bottom:16px">
      <div class="row" style="margin-bottom:8px"><h2 id="charts-title">Traffic and load</h2><span class="muted" id="charts-note"></span><span class="spacer"></span>
        <label for="chart-window" class="muted">Window</label>
        <select id="chart-window" style="width:auto"><option value="15">15 minutes</option><option value="60" selected>1 hour</option></select></div>
      <div class="grid two" id="ov-charts">${loading('Loading charts')}</div>
    </section>
    <div class="grid two" style="margin-bottom:16px">
      <section class="card" aria-labelledby="route-title"><div class="card-head"><h2 id="route-title">Route</h2></div><div class="card-body" id="ov-route">${loading('Loading route')}</div></section>
      <section class="card" aria-labelledby="ov-rollout-title"><div class="card-head"><h2 id="ov-rollout-title">Current rollout</h2><a href="#/apps/${enc(app.name)}/deploy">Deploy…</a></div><div class="card-body" id="ov-rollout"></div></section>
    </div>
    <section class="card" aria-labelledby="danger-title"><div class="card-head"><h2 id="danger-title">Delete app</h2></div><div class="card-body">
      <form id="delete-form" class="inline-form" novalidate>
        <div class="field"><label for="delete-confirm">Type <strong>${app.name}</strong> to confirm</label><input type="text" id="delete-confirm" autocomplete="off" aria-describedby="delete-help"></div>
        <button type="submit" class="btn danger">Delete app</button>
        <span class="help muted" id="delete-help">Stops every instance and forgets its releases and history.</span>
      </form></div></section>`);

  mountRollout($('#ov-rollout'), app.name, signal, { compact: true, onFinished: () => tiles(app, page, signal) });
  tiles(app, page, signal).then(() => route(app, page.overview?.dnsZone ?? null, signal));
  const windowSelect = $('#chart-window');
  const drawCharts = () => charts(app, Number(windowSelect.value), signal);
  windowSelect.addEventListener('change', drawCharts);
  drawCharts();
  const timer = setInterval(drawCharts, 10000);
  signal.addEventListener('abort', () => clearInterval(timer));

  $('#delete-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('#delete-confirm');
    if (input.value.trim() !== app.name) {
      input.setAttribute('aria-invalid', 'true');
      toast(`Type ${app.name} to delete it`, 'bad');
      input.focus();
      return;
    }
    try {
      await del(`/api/apps/${enc(app.name)}`);
      toast(`${app.name} is being deleted`);
      navigate('#/apps');
    } catch (err) { toast(`${err.title}: ${err.message}`, 'bad'); }
  });
}

async function tiles(app, page, signal) {
  let s = page.summary;
  try {
    const overview = await get('/api/console/overview', { signal });
    s = (overview.apps ?? []).find((a) => a.name === app.name) ?? s;
    page.summary = s;
    page.overview = overview;
  } catch (e) { if (e.name === 'AbortError') return; }
  const box = $('#ov-tiles');
  if (!box) return;
  if (!s) {
    setHtml(box, html`<div class="card stat"><div class="label">Status</div><div class="value">—</div><div class="note">not in the overview yet</div></div>`);
    return;
  }
  setHtml(box, html`
    <div class="card stat"><div class="label">Status</div><div class="value" data-app-status="${s.status}">${badge(s.status)}</div><div class="note">${s.lastDeploy ? html`last deploy ${when(s.lastDeploy.at)}` : 'never deployed'}</div></div>
    <div class="card stat"><div class="label">Release</div><div class="value" data-current-release>${s.currentRelease ? `v${s.currentRelease}` : '—'}</div><div class="note">${s.targetRelease && s.targetRelease !== s.currentRelease ? `rolling out v${s.targetRelease}` : 'current'}</div></div>
    <div class="card stat"><div class="label">Instances</div><div class="value" data-instances>${s.instancesReady ?? 0}<small> / ${s.instancesTotal ?? 0} ready</small></div><div class="note">${s.replicas} wanted</div></div>
    <div class="card stat"><div class="label">Traffic</div><div class="value">${number(s.requestsPerSecond)} <small>req/s</small></div><div class="note">${percent(s.errorRate)} errors · ${s.latencyMillis == null ? '—' : `${number(s.latencyMillis, 0)} ms`}</div></div>`);
}

async function route(app, zone, signal) {
  const box = $('#ov-route');
  let routes = [];
  try {
    routes = await get(`/api/gateway/routes${query({ app: app.name })}`, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
  }
  const r = routes[0];
  const servers = r?.servers ?? [];
  const up = servers.filter((sv) => String(sv.state).startsWith('UP')).length;
  setHtml(box, html`<dl class="kv">
    <dt>Gateway host</dt><dd>${r ? html`<code data-route-host>${r.host}</code>` : html`<span class="muted">not routed yet (no ready instance)</span>`}</dd>
    <dt>Servers</dt><dd>${r ? html`${up} of ${servers.length} up ${r.inHaproxy ? '' : html`${badge('pending', 'not in HAProxy yet')}`}` : '—'}</dd>
    <dt>Health check</dt><dd>${r?.healthCheck ? html`<code>${r.healthCheck}</code>` : '—'}</dd>
    <dt>DNS name</dt><dd>${zone ? html`<code data-dns-name>${app.name}.${zone}</code> <span class="muted">(A and SRV <code>_http._tcp.${app.name}.${zone}</code>)</span>` : html`<span class="muted">registered by the registrar as &lt;app&gt;.&lt;zone&gt;</span>`}</dd>
    <dt>Team</dt><dd>${app.team}</dd>
    <dt>Created</dt><dd>${when(app.createdAt)}</dd>
  </dl>`);
}

async function charts(app, minutes, signal) {
  const box = $('#ov-charts');
  let data;
  try {
    data = await get(`/api/console/apps/${enc(app.name)}/metrics${query({ minutes })}`, { signal });
  } catch (e) {
    if (e.name === 'AbortError' || !box) return;
    setHtml(box, html`<div class="card"><div class="empty"><h3>No metrics</h3><p>${e.message}</p></div></div>`);
    return;
  }
  const points = data.points ?? [];
  $('#charts-note').textContent = points.length ? `a point every ${data.stepSeconds ?? 10} s` : '';
  setHtml(box, html`
    ${lineChart({ id: 'chart-rps', title: 'Requests per second', points, value: (p) => p.requestsPerSecond, format: (v) => number(v), color: '#2563eb', floor: 1 })}
    ${lineChart({ id: 'chart-latency', title: 'Latency (average)', points, value: (p) => p.latencyMillis, format: (v) => `${number(v, 0)} ms`, color: '#7c3aed', floor: 10 })}
    ${lineChart({ id: 'chart-errors', title: 'Errors (5xx share)', points, value: (p) => p.errorRate, format: (v) => percent(v), color: '#dc2626', floor: 0.05 })}
    ${lineChart({ id: 'chart-instances', title: 'Instances', points, value: (p) => p.instances, format: (v) => number(v, 0), color: '#059669', integer: true, floor: 2 })}
    ${lineChart({ id: 'chart-cpu', title: 'CPU (all instances)', points, value: (p) => p.cpuPercent, format: (v) => `${number(v)}%`, color: '#d97706', floor: 10 })}
    ${lineChart({ id: 'chart-memory', title: 'Memory (all instances)', points, value: (p) => p.memoryBytes, format: (v) => bytes(v), color: '#0891b2', floor: 64 * 1048576 })}`);
}
