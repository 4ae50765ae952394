// Releases (immutable, newest first) with a rollback to any earlier one, and the app's history:
// every release, rollout, scale, restart and rollback with who did it (the autoscaler included).
import { get, post, enc } from '../api.js';
import { html, setHtml, $, badge, when, loading, announce, toast } from '../dom.js';

export async function render(panel, { app, signal, refreshStatus }) {
  setHtml(panel, html`
    <section class="card" aria-labelledby="releases-title" style="margin-bottom:16px">
      <div class="card-head"><h2 id="releases-title">Releases</h2><button type="button" class="btn" id="rollback-previous">Roll back to the previous release</button></div>
      <div class="card-body flush" id="releases">${loading('Loading releases')}</div>
    </section>
    <section class="card" aria-labelledby="history-title">
      <div class="card-head"><h2 id="history-title">History</h2></div>
      <div class="card-body flush" id="history">${loading('Loading history')}</div>
    </section>`);
  const load = async () => {
    const [releases, history, fresh] = await Promise.all([
      get(`/api/apps/${enc(app.name)}/releases?size=50`, { signal }),
      get(`/api/apps/${enc(app.name)}/history?size=100`, { signal }),
      get(`/api/apps/${enc(app.name)}`, { signal }),
    ]);
    setHtml($('#releases'), releaseTable(releases, fresh));
    setHtml($('#history'), historyTable(history));
  };
  const rollback = async (button, release) => {
    button.disabled = true;
    try {
      const rollout = await post(`/api/apps/${enc(app.name)}/rollback`, release ? { release } : {});
      const text = `Rolling back to v${rollout.toRelease}`;
      toast(text);
      announce(text);
      refreshStatus();
      location.hash = `#/apps/${enc(app.name)}/deploy`;
    } catch (e) {
      toast(`${e.title}: ${e.message}`, 'bad');
      button.disabled = false;
    }
  };
  $('#rollback-previous').addEventListener('click', (e) => rollback(e.currentTarget));
  panel.addEventListener('click', (e) => {
    const button = e.target.closest('[data-rollback]');
    if (button) rollback(button, Number(button.dataset.rollback));
  });
  await load();
}

function describe(spec) {
  if (spec.command) return spec.command.join(' ');
  if (spec.artifact) return `java -jar ${spec.artifact}`;
  return spec.image ?? '';
}

function releaseTable(releases, app) {
  if (!releases.length) return html`<div class="empty"><h3>No releases yet</h3><p>Deploy the first one from the Deploy tab.</p></div>`;
  return html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">Release</th><th scope="col">Runs</th><th scope="col" class="num">Instances</th><th scope="col">Created</th><th scope="col">By</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${releases.map((r) => html`<tr data-release="${r.version}">
      <td class="nowrap"><strong>v${r.version}</strong> ${r.version === app.currentRelease ? badge('running', 'current') : r.version === app.targetRelease ? badge('deploying', 'target') : ''}</td>
      <td class="mono" style="max-width:460px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap" title="${describe(r.spec)}">${describe(r.spec)}</td>
      <td class="num">${r.spec.replicas ?? '—'}</td>
      <td>${when(r.createdAt)}</td>
      <td>${r.createdBy}</td>
      <td class="num">${r.version !== app.currentRelease ? html`<button type="button" class="btn small" data-rollback="${r.version}" aria-label="Roll back to v${r.version}">Roll back to v${r.version}</button>` : ''}</td>
    </tr>`)}</tbody></table></div>`;
}

function historyTable(history) {
  if (!history.length) return html`<div class="empty"><h3>Nothing yet</h3><p>Releases, rollouts, scales and rollbacks appear here.</p></div>`;
  return html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Summary</th><th scope="col">Who</th></tr></thead>
    <tbody>${history.map((h) => html`<tr data-history-kind="${h.kind}">
      <td class="nowrap">${when(h.at)}</td><td>${badge(h.kind, h.kind)}</td><td>${h.summary}</td><td>${h.actor}</td></tr>`)}</tbody></table></div>`;
}
