// The app's autoscaling policy (one document, replaced as a whole) and the autoscaler's recent
// decisions, each with its reason. The policy's problems come back with the field at fault.
import { get, put, del, enc, ApiError } from '../api.js';
import { html, setHtml, $, when, loading, announce, toast, badge } from '../dom.js';
import { field, formAlert, submitting, checkAll } from '../forms.js';

const METRICS = [
  ['requestsPerSecond', 'Requests per second'], ['responseTimeMillis', 'Response time (ms)'], ['sessions', 'Concurrent sessions'],
  ['cpuPercent', 'CPU (% of the limit)'], ['memoryPercent', 'Memory (% of the limit)'],
];

export async function render(panel, { app, signal }) {
  let policy = null;
  try {
    policy = await get(`/api/apps/${enc(app.name)}/autoscaling`, { signal });
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const metric = policy?.metrics?.[0] ?? { metric: 'requestsPerSecond', target: 50 };
  const b = policy?.behavior ?? {};
  setHtml(panel, html`<div class="grid two" style="margin-bottom:16px">
    <section class="card" aria-labelledby="policy-title"><div class="card-head"><h2 id="policy-title">Policy</h2><span id="policy-state">${policy ? badge('active', policy.dryRun ? 'dry run' : 'active') : badge('stopped', 'none')}</span></div><div class="card-body">
      <form id="policy-form" novalidate>${formAlert()}
        <div class="fields">
          ${field({ id: 'as-min', name: 'minReplicas', type: 'number', label: 'Minimum instances', required: true, value: policy?.minReplicas ?? 1, attrs: html`min="0" max="1000"` })}
          ${field({ id: 'as-max', name: 'maxReplicas', type: 'number', label: 'Maximum instances', required: true, value: policy?.maxReplicas ?? 4, attrs: html`min="0" max="1000"` })}
          ${field({ id: 'as-metric', name: 'metric', field: 'metrics.metric', kind: 'select', label: 'Metric', value: metric.metric, options: METRICS })}
          ${field({ id: 'as-target', name: 'target', field: 'metrics.target', type: 'number', label: 'Target per instance', required: true, value: metric.target, attrs: html`min="0.001" step="any"` })}
          ${field({ id: 'as-cooldown', name: 'cooldownSeconds', field: 'behavior.cooldownSeconds', type: 'number', label: 'Cooldown (s)', value: b.cooldownSeconds ?? '', placeholder: '5', attrs: html`min="0" max="3600"` })}
          ${field({ id: 'as-down', name: 'scaleDownStabilizationSeconds', field: 'behavior.scaleDownStabilizationSeconds', type: 'number', label: 'Scale-down window (s)', value: b.scaleDownStabilizationSeconds ?? '', placeholder: '60', attrs: html`min="0" max="3600"` })}
          ${field({ id: 'as-schedules', name: 'schedules', kind: 'textarea', wide: true, label: 'Schedules (JSON, optional)', value: policy?.schedules?.length ? JSON.stringify(policy.schedules) : '', placeholder: '[{"cron":"0 9 * * 1-5","timeZone":"Europe/Berlin","durationMinutes":60,"minReplicas":4}]', help: 'Time windows that raise the bounds, as in the API.' })}
          ${field({ id: 'as-dry', name: 'dryRun', kind: 'checkbox', label: 'Dry run: decide and explain, but do not scale', value: policy?.dryRun })}
        </div>
        <div class="form-actions"><button type="submit" class="btn primary" data-busy="Saving…">Save policy</button>
          ${policy ? html`<button type="button" class="btn danger" id="policy-delete">Remove policy</button>` : ''}</div>
      </form></div></section>
    <section class="card" aria-labelledby="policy-now-title"><div class="card-head"><h2 id="policy-now-title">In effect</h2></div><div class="card-body" id="policy-summary" aria-live="polite">${summary(policy)}</div></section>
  </div>
  <section class="card" aria-labelledby="decisions-title"><div class="card-head"><h2 id="decisions-title">Recent decisions</h2><span class="muted">newest first, refreshed every 5 s</span></div>
    <div class="card-body flush" id="decisions">${loading('Loading decisions')}</div></section>`);

  const form = $('#policy-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const el = form.elements;
    const n = (input) => (input.value.trim() === '' ? undefined : Number(input.value));
    let schedules;
    let scheduleError = null;
    if (el.schedules.value.trim()) {
      try { schedules = JSON.parse(el.schedules.value); if (!Array.isArray(schedules)) scheduleError = 'Must be a JSON list.'; } catch (err) { scheduleError = `Not JSON: ${err.message}`; }
    }
    const min = n(el.minReplicas);
    const max = n(el.maxReplicas);
    const target = n(el.target);
    const ok = checkAll(form, [
      [el.minReplicas, min === undefined || !Number.isInteger(min) || min < 0 || min > 1000 ? 'A whole number from 0 to 1000.' : null],
      [el.maxReplicas, max === undefined || !Number.isInteger(max) || max < 0 || max > 1000 ? 'A whole number from 0 to 1000.' : (min !== undefined && max < min ? 'Must be at least the minimum.' : null)],
      [el.target, target === undefined || !(target > 0) ? 'A number above 0.' : null],
      [el.schedules, scheduleError],
    ]);
    if (!ok) return;
    const body = {
      minReplicas: min, maxReplicas: max,
      metrics: [{ metric: el.metric.value, target }],
      behavior: { ...b, cooldownSeconds: n(el.cooldownSeconds), scaleDownStabilizationSeconds: n(el.scaleDownStabilizationSeconds) },
      schedules, dryRun: el.dryRun.checked,
    };
    const saved = await submitting(form, () => put(`/api/apps/${enc(app.name)}/autoscaling`, body));
    if (saved) {
      setHtml($('#policy-summary'), summary(saved));
      setHtml($('#policy-state'), badge('active', saved.dryRun ? 'dry run' : 'active'));
      toast('Autoscaling policy saved');
      announce('Autoscaling policy saved');
    }
  });
  $('#policy-delete')?.addEventListener('click', async () => {
    try {
      await del(`/api/apps/${enc(app.name)}/autoscaling`);
      toast('Policy removed: the autoscaler leaves the app alone');
      setHtml($('#policy-summary'), summary(null));
      setHtml($('#policy-state'), badge('stopped', 'none'));
    } catch (err) { toast(`${err.title}: ${err.message}`, 'bad'); }
  });

  const loadDecisions = async () => {
    const decisions = await get(`/api/apps/${enc(app.name)}/autoscaling/decisions?size=20`, { signal });
    setHtml($('#decisions'), decisionTable(decisions));
  };
  await loadDecisions().catch((e) => { if (e.name !== 'AbortError') setHtml($('#decisions'), html`<p class="alert bad">${e.message}</p>`); });
  const timer = setInterval(() => loadDecisions().catch(() => {}), 5000);
  signal.addEventListener('abort', () => clearInterval(timer));
}

function summary(p) {
  if (!p) return html`<div class="empty" style="padding:16px"><h3>No policy</h3><p>The app keeps the instance count you set. Save a policy to let Berth scale it.</p></div>`;
  const names = Object.fromEntries(METRICS);
  return html`<dl class="kv" data-policy>
    <dt>Bounds</dt><dd data-policy-bounds>${p.minReplicas} to ${p.maxReplicas} instances</dd>
    <dt>Targets</dt><dd>${(p.metrics ?? []).map((m) => html`<div data-policy-metric>${names[m.metric] ?? m.metric}: <strong>${m.target}</strong> per instance</div>`)}${p.metrics?.length ? '' : '—'}</dd>
    <dt>Behaviour</dt><dd>${p.behavior ? `cooldown ${p.behavior.cooldownSeconds} s, scale down after ${p.behavior.scaleDownStabilizationSeconds} s steady, steps of up to ${p.behavior.maxScaleUpStep} up / ${p.behavior.maxScaleDownStep} down, tolerance ${Math.round((p.behavior.tolerance ?? 0) * 100)}%` : '—'}</dd>
    <dt>Schedules</dt><dd>${p.schedules?.length ? p.schedules.map((s) => html`<div><code>${s.cron}</code> ${s.timeZone ?? 'UTC'} for ${s.durationMinutes} min: at least ${s.minReplicas}</div>`) : 'none'}</dd>
    <dt>Mode</dt><dd>${p.dryRun ? 'dry run (decisions are explained, not applied)' : 'scales the app'}</dd>
  </dl>`;
}

function decisionTable(decisions) {
  if (!decisions.length) return html`<div class="empty"><h3>No decisions yet</h3><p>When traffic or load moves past a target, each decision and its reason shows here.</p></div>`;
  return html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">When</th><th scope="col">Change</th><th scope="col">Why</th><th scope="col">Applied</th></tr></thead>
    <tbody>${decisions.map((d) => html`<tr>
      <td class="nowrap">${when(d.decidedAt)}</td>
      <td class="nowrap"><strong>${d.fromReplicas} → ${d.toReplicas}</strong></td>
      <td>${d.reason}</td>
      <td>${d.dryRun ? badge('pending', 'dry run') : d.published ? badge('ok', 'published') : badge('pending', 'pending')}</td></tr>`)}</tbody></table></div>`;
}
