// The audit log: every change made through any service, with its actor, outcome and status,
// filtered by team, user, app and time. The platform admin reads all of it, a team admin their team's.
import { get, query } from '../api.js';
import { html, setHtml, $, badge, loading, announce, localInputValue } from '../dom.js';
import { field, formAlert, submitting, checkAll } from '../forms.js';
import { adminTeams, isPlatformAdmin, selectedTeam } from '../main.js';

export const key = 'audit';

export async function render(main, params, page) {
  const teams = adminTeams();
  const team = isPlatformAdmin() ? selectedTeam() : (teams.includes(selectedTeam()) ? selectedTeam() : teams[0] ?? '');
  setHtml(main, html`
    <div class="page-head"><div><h1>Audit log</h1><p class="sub">Every change, by whom, and how it ended. ${isPlatformAdmin() ? 'All teams.' : 'Teams you administer.'}</p></div></div>
    <section class="card" aria-labelledby="audit-filter-title" style="margin-bottom:16px"><div class="card-head"><h2 id="audit-filter-title">Filters</h2></div><div class="card-body">
      <form id="audit-form" novalidate>${formAlert()}
        <div class="fields audit-fields">
          ${isPlatformAdmin()
            ? field({ id: 'audit-team', name: 'team', label: 'Team', value: team, placeholder: 'any', attrs: html`spellcheck="false"` })
            : field({ id: 'audit-team', name: 'team', kind: 'select', label: 'Team', value: team, options: teams.map((t) => [t, t]) })}
          ${field({ id: 'audit-user', name: 'user', label: 'User', placeholder: 'any', attrs: html`spellcheck="false"` })}
          ${field({ id: 'audit-app', name: 'app', label: 'App', placeholder: 'any', attrs: html`spellcheck="false"` })}
          ${field({ id: 'audit-from', name: 'from', type: 'datetime-local', label: 'From', value: localInputValue(new Date(Date.now() - 24 * 3600_000)) })}
          ${field({ id: 'audit-to', name: 'to', type: 'datetime-local', label: 'To' })}
          ${field({ id: 'audit-limit', name: 'limit', kind: 'select', label: 'Show', value: '100', options: [['50', '50 entries'], ['100', '100 entries'], ['500', '500 entries'], ['1000', '1000 entries']] })}
        </div>
        <div class="form-actions"><button type="submit" class="btn primary" data-busy="Loading…">Apply filters</button></div>
      </form></div></section>
    <section class="card" aria-labelledby="audit-title"><div class="card-head"><h2 id="audit-title">Entries</h2><span class="muted" id="audit-note"></span></div>
      <div class="card-body flush" id="audit" aria-live="polite">${loading('Loading the audit log')}</div></section>`);
  const form = $('#audit-form');
  const load = async () => {
    const el = form.elements;
    const from = el.from.value ? new Date(el.from.value) : null;
    const to = el.to.value ? new Date(el.to.value) : null;
    if (!checkAll(form, [[el.to, from && to && to <= from ? 'Must be after From.' : null]])) return;
    const entries = await submitting(form, () => get(`/api/audit${query({
      team: el.team.value.trim(), user: el.user.value.trim(), app: el.app.value.trim(),
      from: from?.toISOString(), to: to?.toISOString(), limit: el.limit.value,
    })}`, { signal: page.signal }));
    if (!entries) { setHtml($('#audit'), ''); return; }
    // filtered to one team, a team column would repeat it on every line
    const showTeam = !el.team.value.trim();
    $('#audit-note').textContent = `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}, newest first`;
    announce(`${entries.length} audit entries`);
    $('#audit').innerHTML = entries.length ? html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Change</th><th scope="col">App</th>${showTeam ? html`<th scope="col">Team</th>` : ''}<th scope="col">Service</th><th scope="col">Outcome</th><th scope="col" class="num">Status</th></tr></thead>
      <tbody>${entries.map((e) => html`<tr>
        <td class="nowrap mono">${stamp(e.at)}</td>
        <td class="nowrap">${e.actor}${e.actorKind && !['user', 'member'].includes(e.actorKind) ? html` <span class="faint">(${e.actorKind})</span>` : ''}</td>
        <td class="mono nowrap"><strong>${(e.action ?? '').split(' ')[0]}</strong> ${e.path}</td>
        <td class="nowrap">${e.app ?? '—'}</td>${showTeam ? html`<td class="nowrap">${e.team ?? '—'}</td>` : ''}<td class="nowrap">${(e.service ?? '').replace(/^\/?berth\//, '')}</td>
        <td>${badge(e.outcome)}</td><td class="num">${e.status}</td></tr>`)}</tbody></table></div>`.toString()
      : html`<div class="empty"><h3>No entries</h3><p>No change matches these filters.</p></div>`.toString();
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  await load();
}

/** Today's entries by time, older ones with their date. */
function stamp(at) {
  const d = new Date(at);
  const time = d.toLocaleTimeString([], { hour12: false });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}
