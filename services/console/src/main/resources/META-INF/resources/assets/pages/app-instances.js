// Instances with their health, CPU and memory; scale and restart. Refreshed every 2 s while shown.
import { get, post, enc, ApiError } from '../api.js';
import { html, setHtml, $, esc, loading, announce, toast, number, bytes, timeAgo } from '../dom.js';
import { field, formAlert, submitting, checkAll } from '../forms.js';
import { instanceTable } from '../rollout.js';

export async function render(panel, { app, signal, refreshStatus }) {
  const fresh = await get(`/api/apps/${enc(app.name)}`, { signal });
  setHtml(panel, html`
    <div class="grid two" style="margin-bottom:16px">
      <section class="card" aria-labelledby="scale-title"><div class="card-head"><h2 id="scale-title">Scale</h2></div><div class="card-body">
        <form id="scale-form" novalidate>${formAlert()}
          <div class="inline-form">
            ${field({ id: 'scale-replicas', name: 'replicas', type: 'number', label: 'Instances', value: fresh.replicas, required: true, attrs: html`min="0" max="1000"` })}
            <button type="submit" class="btn primary" data-busy="Scaling…">Scale</button>
          </div>
          <p class="hint" style="margin:8px 0 0">Now ${fresh.replicas} wanted. An autoscaling policy may change it again.</p>
        </form></div></section>
      <section class="card" aria-labelledby="restart-title"><div class="card-head"><h2 id="restart-title">Restart</h2></div><div class="card-body">
        <p class="hint" style="margin-top:0">Replaces every instance with a fresh one of the same release, one at a time, with no downtime.</p>
        <button type="button" class="btn" id="restart">Restart all instances</button></div></section>
    </div>
    <section class="card" aria-labelledby="instances-title"><div class="card-head"><h2 id="instances-title">Instances</h2><span class="muted" id="instances-note"></span></div>
      <div class="card-body" id="instances-usage" style="padding-bottom:0" hidden></div>
      <div class="card-body flush" id="instances" aria-busy="true">${loading('Loading instances')}</div></section>`);

  const load = async () => {
    const [instances, usage, totals] = await Promise.all([
      get(`/api/apps/${enc(app.name)}/instances`, { signal }),
      usageOf(app.name, signal),
      latestUsage(app.name, signal),
    ]);
    // the app's totals stand in for per-instance figures only when the console has none
    const usageLine = $('#instances-usage');
    usageLine.hidden = true;
    if (totals && !usage.size) {
      usageLine.hidden = false;
      usageLine.innerHTML = `<p class="muted" style="margin:0 0 12px">All instances together, ${esc(timeAgo(totals.at))}: CPU <strong>${esc(number(totals.cpuPercent))}%</strong> · memory <strong>${esc(bytes(totals.memoryBytes))}</strong></p>`;
    }
    const box = $('#instances');
    setHtml(box, instanceTable(instances, null, usage));
    box.setAttribute('aria-busy', 'false');
    const ready = instances.filter((i) => i.ready).length;
    $('#instances-note').textContent = `${ready} of ${instances.length} ready`;
  };
  await load();
  const timer = setInterval(() => load().catch(() => {}), 2000);
  signal.addEventListener('abort', () => clearInterval(timer));

  const form = $('#scale-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = form.elements.replicas;
    const n = Number(input.value);
    if (!checkAll(form, [[input, input.value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 1000 ? 'A whole number from 0 to 1000.' : null]])) return;
    const scaled = await submitting(form, () => post(`/api/apps/${enc(app.name)}/scale`, { replicas: n }));
    if (scaled) {
      const text = `Scaled to ${scaled.replicas} ${scaled.replicas === 1 ? 'instance' : 'instances'}`;
      toast(text);
      announce(text);
      $('.hint', form).textContent = `Now ${scaled.replicas} wanted. An autoscaling policy may change it again.`;
      refreshStatus();
      load();
    }
  });
  $('#restart').addEventListener('click', async (e) => {
    e.currentTarget.disabled = true;
    try {
      await post(`/api/apps/${enc(app.name)}/restart`);
      toast('Restarting: a rolling replacement started');
      announce('Restart started');
      location.hash = `#/apps/${enc(app.name)}/deploy`;
    } catch (err) {
      toast(`${err.title}: ${err.message}`, 'bad');
      e.currentTarget.disabled = false;
    }
  });
}

/** Per-instance CPU and memory from the console's read model, when it offers them. */
async function usageOf(app, signal) {
  try {
    const list = await get(`/api/console/apps/${enc(app)}/instances`, { signal });
    return new Map((list ?? []).map((u) => [u.id ?? u.instance, u]));
  } catch (e) {
    if (e instanceof ApiError) return new Map();
    throw e;
  }
}

/** The app's CPU and memory over all its instances, the newest point of the console's metrics. */
async function latestUsage(app, signal) {
  try {
    const metrics = await get(`/api/console/apps/${enc(app)}/metrics?minutes=2`, { signal });
    return [...(metrics.points ?? [])].reverse().find((p) => p.cpuPercent != null || p.memoryBytes != null) ?? null;
  } catch (e) {
    if (e instanceof ApiError) return null;
    throw e;
  }
}
