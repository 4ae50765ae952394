// The live view of an app's current rollout: its state from the deploy service's Server-Sent Events
// (read with fetch, see api.js), and its instances polled every second while it runs, so each new
// instance is seen going from STARTING to READY and each old one TERMINATING.
import { get, post, streamEvents, enc, ApiError } from './api.js';
import { html, setHtml, $, badge, when, clock, announce, toast, loading } from './dom.js';

const ACTIVE = new Set(['PENDING', 'PROGRESSING', 'CANARY']);

/**
 * Mounts the panel in container and keeps it live until signal aborts. onFinished(rollout) is
 * called when a rollout that was watched live ends.
 */
export function mountRollout(container, app, signal, { onFinished, compact = false } = {}) {
  const base = `/api/apps/${enc(app)}`;
  const events = [];
  let rollout = null;
  let instances = [];
  let poll = null;
  let streaming = false;
  let actionsKey = null;

  setHtml(container, html`<div class="rollout" aria-live="polite">
    <div class="rollout-summary">${loading('Loading the rollout')}</div>
    <div class="rollout-actions"></div>
    ${compact ? '' : html`<div class="rollout-detail" hidden><h3 style="margin:16px 0 8px">Instances</h3><div class="rollout-instances"></div>
    <h3 style="margin:16px 0 8px">Events</h3><ol class="timeline rollout-events" aria-label="Rollout events"></ol></div>`}
  </div>`);

  const paint = () => {
    setHtml($('.rollout-summary', container), summary(rollout));
    if (!compact) {
      $('.rollout-detail', container).hidden = false;
      setHtml($('.rollout-instances', container), instanceTable(instances, rollout, new Map(), { brief: true }));
      setHtml($('.rollout-events', container), events.length ? events.slice(-30).reverse().map((e) => html`<li><time>${clock(e.at)}</time><span>${e.text}</span></li>`) : html`<li class="muted">Waiting for the first event…</li>`);
    }
    // the canary's buttons are drawn again only when the rollout's phase changes, not on every
    // repaint, so that a keyboard user's focus (or a click under way) stays on them
    const key = rollout ? `${rollout.id}:${rollout.state}:${rollout.canaryWeight}` : '';
    if (key !== actionsKey) {
      actionsKey = key;
      const box = $('.rollout-actions', container);
      setHtml(box, canaryActions(rollout));
      for (const button of box.querySelectorAll('[data-canary]')) {
        button.addEventListener('click', () => canary(button.dataset.canary, button));
      }
    }
  };

  async function canary(action, button) {
    button.disabled = true;
    try {
      await post(`${base}/rollouts/current/${action}`);
      toast(action === 'promote' ? 'Canary promoted: the rollout goes on' : 'Canary aborted: the previous release serves alone');
      watch();
    } catch (e) {
      toast(`${e.title}: ${e.message}`, 'bad');
      button.disabled = false;
    }
  }

  const pollInstances = async () => {
    try {
      instances = await get(`${base}/instances`, { signal });
      paint();
    } catch (e) { if (e.name === 'AbortError') return; }
  };

  async function watch() {
    try {
      rollout = await get(`${base}/rollouts/current`, { signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      // the panel's structure stays, so that a later restart() paints into it
      if (e instanceof ApiError && e.status === 404) {
        setHtml($('.rollout-summary', container), html`<div class="empty"><h3>No rollout yet</h3><p>Deploy a release and its rollout shows here as it happens.</p></div>`);
        return;
      }
      setHtml($('.rollout-summary', container), html`<div class="alert bad" role="alert">${e.title}: ${e.message}</div>`);
      return;
    }
    if (!compact) await pollInstances();
    paint();
    if (!ACTIVE.has(rollout.state) || streaming) return;
    streaming = true;
    if (!compact && !poll) poll = setInterval(pollInstances, 1000);
    let last = rollout;
    try {
      await streamEvents(`${base}/rollouts/current/events`, {
        signal,
        onEvent: ({ data }) => {
          if (!data || typeof data !== 'object' || !data.state) return;
          const changed = data.state !== last.state || data.ready !== last.ready;
          rollout = data;
          if (changed || !events.length) {
            events.push({ at: new Date().toISOString(), text: describe(data) });
            announce(describe(data));
          }
          last = data;
          paint();
        },
      });
    } catch (e) {
      if (e.name === 'AbortError') return;
      events.push({ at: new Date().toISOString(), text: `The live stream stopped (${e.message}); showing the last state.` });
    } finally {
      streaming = false;
    }
    // the stream ends after the final state; read it once more and stop polling
    try { rollout = await get(`${base}/rollouts/current`, { signal }); } catch { /* keep the last one */ }
    if (!compact) await pollInstances();
    if (poll) { clearInterval(poll); poll = null; }
    paint();
    if (ACTIVE.has(rollout.state)) { watch(); return; } // a canary waits; a new stream follows it
    announce(`Rollout to v${rollout.toRelease} ${rollout.state.toLowerCase().replace('_', ' ')}`);
    onFinished?.(rollout);
  }

  signal.addEventListener('abort', () => { if (poll) clearInterval(poll); });
  watch();
  return { restart: () => { events.length = 0; watch(); } };
}

const KIND = { release: 'Deploy', deploy: 'Deploy', canary: 'Canary', rollback: 'Rollback', restart: 'Restart', scale: 'Scale' };
const kindOf = (r) => KIND[r.kind] ?? (r.kind ? r.kind[0].toUpperCase() + r.kind.slice(1) : 'Deploy');
const span = (r) => `${r.fromRelease && r.fromRelease !== r.toRelease ? `v${r.fromRelease} → ` : ''}v${r.toRelease}`;

function describe(r) {
  return `${kindOf(r)} ${span(r)}: ${r.state.toLowerCase().replace('_', ' ')}, ${r.ready}/${r.replicas} ready${r.reason ? ` (${r.reason})` : ''}`;
}

function summary(r) {
  if (!r) return '';
  const active = ACTIVE.has(r.state);
  const share = r.replicas > 0 ? Math.min(100, Math.round((r.ready / r.replicas) * 100)) : 100;
  const tone = r.state === 'COMPLETED' ? 'ok' : (r.state === 'FAILED' || r.state === 'ROLLED_BACK') ? 'bad' : '';
  return html`
    <div class="row" style="margin-bottom:10px">
      <strong data-rollout-state="${r.state}" data-rollout-to="${r.toRelease}" data-rollout-kind="${r.kind ?? ''}">${badge(r.state)}</strong>
      <span>${kindOf(r)} ${r.fromRelease && r.fromRelease !== r.toRelease ? `v${r.fromRelease} → ` : ''}<strong>v${r.toRelease}</strong></span>
      <span class="muted">started ${when(r.startedAt)}${r.finishedAt ? html`, finished ${when(r.finishedAt)}` : ''}</span>
      <span class="spacer"></span>
      <span class="nowrap" data-rollout-ready>${r.ready}/${r.replicas} ready</span>
    </div>
    <div class="progress ${tone}" role="progressbar" aria-label="Instances of v${r.toRelease} ready" aria-valuemin="0" aria-valuemax="${r.replicas}" aria-valuenow="${r.ready}"><span style="width:${share}%"></span></div>
    ${r.reason ? html`<p class="${tone === 'bad' ? 'alert bad' : 'muted'}" style="margin:10px 0 0">${r.reason}</p>` : ''}
    ${active ? html`<p class="muted" style="margin:8px 0 0"><span class="spinner" aria-hidden="true"></span> Live</p>` : ''}`;
}

function canaryActions(r) {
  if (!r || r.state !== 'CANARY') return '';
  return html`<div class="alert info row" style="margin-top:12px"><span>Canary v${r.toRelease} takes <strong>${r.canaryWeight}%</strong> of the traffic.</span><span class="spacer"></span>
      <button type="button" class="btn primary small" data-canary="promote">Promote canary</button>
      <button type="button" class="btn danger small" data-canary="abort">Abort canary</button></div>`;
}

export function instanceTable(instances, rollout, usage = new Map(), { brief = false } = {}) {
  if (!instances.length) return html`<p class="muted">No instances.</p>`;
  const fresh = (i) => rollout && i.release === rollout.toRelease && ACTIVE.has(rollout.state);
  return html`<div class="table-wrap"><table class="instances">
    <thead><tr><th scope="col">Instance</th><th scope="col">Release</th><th scope="col">State</th><th scope="col">Health</th>
      ${brief ? '' : html`<th scope="col">Address</th><th scope="col" class="num">Restarts</th><th scope="col" class="num">CPU</th><th scope="col" class="num">Memory</th><th scope="col">Note</th>`}</tr></thead>
    <tbody>${instances.map((i) => {
      const u = usage.get(i.id);
      return html`<tr data-instance="${i.id}" data-state="${i.state}">
        <td class="mono nowrap">${i.id}</td>
        <td class="nowrap">v${i.release}${fresh(i) ? html` <span class="badge plain info">new</span>` : ''}</td>
        <td>${badge(i.terminating ? 'TERMINATING' : i.state)}</td>
        <td>${i.ready ? badge('ok', 'passing') : badge(i.terminating ? 'terminating' : 'pending', i.terminating ? 'draining' : 'not ready')}</td>
        ${brief ? '' : html`<td class="mono">${i.host ? `${i.host}:${i.port}` : '—'}</td>
        <td class="num">${i.restarts}</td>
        <td class="num" data-cpu>${u?.cpuPercent == null ? '—' : `${u.cpuPercent.toFixed(1)}%`}</td>
        <td class="num" data-memory>${u?.memoryBytes == null ? '—' : `${(u.memoryBytes / 1048576).toFixed(0)} MiB`}</td>
        <td class="muted">${i.reason ?? ''}</td>`}
      </tr>`;
    })}</tbody></table></div>`;
}
