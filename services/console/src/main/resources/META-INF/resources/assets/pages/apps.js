// The team's apps at a glance: one request (the console's overview read model) and one DOM write
// for the whole table, so 100 apps render well under a second. performance marks
// "berth:apps-table" (table written) and "berth:apps-painted" (the frame after) let the browser
// tests measure it from navigation start.
import { get, post, session } from '../api.js';
import { html, raw, setHtml, $, badge, when, number, percent, loading, announce, toast } from '../dom.js';
import { field, formAlert, submitting, checkAll } from '../forms.js';
import { selectedTeam, navigate } from '../main.js';

export const key = 'apps';
const NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

export async function render(main, params, page) {
  const team = selectedTeam();
  setHtml(main, html`
    <div class="page-head">
      <div><h1>Apps</h1><p class="sub">${team ? html`Team <strong>${team}</strong>` : 'Every team you are in'}</p></div>
      <div class="row">
        <label class="visually-hidden" for="app-filter">Filter apps by name</label>
        <input type="search" id="app-filter" placeholder="Filter by name…" style="width:220px">
        <button type="button" class="btn primary" id="new-app-toggle" aria-expanded="false" aria-controls="new-app">New app</button>
      </div>
    </div>
    <section class="card" id="new-app" hidden aria-labelledby="new-app-title" style="margin-bottom:16px">
      <div class="card-head"><h2 id="new-app-title">New app</h2></div>
      <div class="card-body">${newAppForm(team)}</div>
    </section>
    <div class="grid four" id="app-stats" style="margin-bottom:16px"></div>
    <section class="card" aria-labelledby="apps-title">
      <h2 id="apps-title" class="visually-hidden">Your apps</h2>
      <div id="apps-region" class="card-body flush" aria-live="polite" aria-busy="true">${loading('Loading apps')}</div>
    </section>`);

  const toggle = $('#new-app-toggle');
  const panel = $('#new-app');
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) $('#new-app-name').focus();
  });
  bindNewApp($('#new-app-form'));

  const overview = await get('/api/console/overview', { signal: page.signal });
  const apps = (overview.apps ?? []).filter((a) => !team || a.team === team);
  const region = $('#apps-region');
  region.innerHTML = table(apps).toString();
  region.setAttribute('aria-busy', 'false');
  performance.mark('berth:apps-table', { detail: { rows: apps.length } });
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('berth:apps-painted', { detail: { rows: apps.length } })));
  setHtml($('#app-stats'), stats(apps));

  const filter = $('#app-filter');
  filter.addEventListener('input', () => {
    const words = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const row of region.querySelectorAll('tbody tr[data-app]')) {
      const on = !words || row.dataset.app.includes(words);
      row.hidden = !on;
      if (on) shown++;
    }
    announce(`${shown} of ${apps.length} apps shown`);
  });
  if (!apps.length) {
    panel.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
  }
}

function newAppForm(team) {
  const teams = (session.me?.teams ?? []).filter((t) => t.role === 'admin' || t.role === 'developer').map((t) => t.team);
  const teamControl = session.me?.platformAdmin && !teams.length
    ? field({ id: 'new-app-team', name: 'team', label: 'Team', required: true, value: team, help: 'The team that will own the app.' })
    : field({ id: 'new-app-team', name: 'team', label: 'Team', kind: 'select', value: team, options: teams.map((t) => [t, t]), help: 'Teams where you may create apps.' });
  return html`<form id="new-app-form" novalidate>
    ${formAlert()}
    <div class="fields">
      ${field({ id: 'new-app-name', name: 'name', label: 'Name', required: true, attrs: html`autocomplete="off" spellcheck="false" maxlength="40"`, help: 'Lower-case letters, digits and inner hyphens; at most 40. It becomes the DNS name.' })}
      ${teamControl}
    </div>
    <div class="form-actions"><button type="submit" class="btn primary" data-busy="Creating…">Create app</button></div>
  </form>`;
}

function bindNewApp(form) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = form.elements.name;
    const team = form.elements.team;
    const value = name.value.trim();
    const ok = checkAll(form, [
      [name, !value ? 'Give the app a name.' : NAME.test(value) ? null : 'Use lower-case letters, digits and inner hyphens (a-z, 0-9, -), starting with a letter, at most 40.'],
      [team, team && team.required && !team.value.trim() ? 'Name the team.' : null],
    ]);
    if (!ok) return;
    const created = await submitting(form, () => post('/api/apps', { name: value, team: team?.value || undefined }));
    if (created) {
      toast(`App ${created.name} created`);
      announce(`App ${created.name} created`);
      navigate(`#/apps/${encodeURIComponent(created.name)}/deploy`);
    }
  });
}

function stats(apps) {
  const count = (s) => apps.filter((a) => a.status === s).length;
  const rps = apps.reduce((sum, a) => sum + (a.requestsPerSecond || 0), 0);
  return html`
    <div class="card stat"><div class="label">Apps</div><div class="value">${apps.length}</div><div class="note">${count('running')} running</div></div>
    <div class="card stat"><div class="label">Deploying</div><div class="value">${count('deploying')}</div><div class="note">rollouts in progress</div></div>
    <div class="card stat"><div class="label">Need attention</div><div class="value">${count('failed') + count('degraded')}</div><div class="note">${count('failed')} failed, ${count('degraded')} degraded</div></div>
    <div class="card stat"><div class="label">Traffic</div><div class="value">${number(rps)} <small>req/s</small></div><div class="note">through the gateway now</div></div>`;
}

function table(apps) {
  if (!apps.length) {
    return html`<div class="empty"><h3>No apps yet</h3><p>Create your first app above, then deploy a release to it.</p></div>`;
  }
  // one string for every row: a single innerHTML write is far faster than a node per cell
  const rows = apps.map((a) => {
    const href = `#/apps/${encodeURIComponent(a.name)}`;
    const release = a.currentRelease ? `v${a.currentRelease}` : '—';
    const target = a.targetRelease && a.targetRelease !== a.currentRelease ? html` <span class="muted">→ v${a.targetRelease}</span>` : '';
    const last = a.lastDeploy ? html`v${a.lastDeploy.release} ${badge(a.lastDeploy.outcome)} <span class="muted">${when(a.lastDeploy.at)}</span>` : html`<span class="muted">never</span>`;
    return html`<tr data-app="${a.name}">
      <td><a class="name" href="${href}">${a.name}</a></td>
      <td>${a.team}</td>
      <td>${badge(a.status)}</td>
      <td class="nowrap">${release}${target}</td>
      <td class="num">${a.instancesReady ?? 0}/${a.instancesTotal ?? 0}</td>
      <td class="num">${number(a.requestsPerSecond)}</td>
      <td class="num">${percent(a.errorRate)}</td>
      <td class="num">${a.latencyMillis == null ? '—' : `${number(a.latencyMillis, 0)} ms`}</td>
      <td class="nowrap">${last}</td>
    </tr>`;
  });
  return html`<div class="table-wrap"><table id="apps-table" aria-describedby="apps-caption">
    <thead><tr><th scope="col">App</th><th scope="col">Team</th><th scope="col">Status</th><th scope="col">Release</th>
      <th scope="col" class="num">Ready</th><th scope="col" class="num">Req/s</th><th scope="col" class="num">Errors</th>
      <th scope="col" class="num">Latency</th><th scope="col">Last deploy</th></tr></thead>
    <tbody>${rows}</tbody>
    <caption id="apps-caption">${apps.length} ${apps.length === 1 ? 'app' : 'apps'}</caption>
  </table></div>`;
}
