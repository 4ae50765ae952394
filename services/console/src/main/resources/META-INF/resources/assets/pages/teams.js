// Teams and their members. Every member sees their teams; a team admin adds, changes and removes
// members; the platform admin also creates teams.
import { get, post, put, del, enc, session } from '../api.js';
import { html, setHtml, $, badge, when, loading, toast, announce } from '../dom.js';
import { field, formAlert, submitting, checkAll, errorBlock } from '../forms.js';
import { isPlatformAdmin, navigate } from '../main.js';

export const key = 'teams';
const NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
const ROLES = [['developer', 'Developer'], ['viewer', 'Viewer'], ['admin', 'Admin']];

export async function render(main, { team }, page) {
  if (team) return renderTeam(main, team, page);
  setHtml(main, html`
    <div class="page-head"><div><h1>Teams</h1><p class="sub">Teams own apps; members act with a role in each.</p></div></div>
    ${isPlatformAdmin() ? html`<section class="card" aria-labelledby="new-team-title" style="margin-bottom:16px"><div class="card-head"><h2 id="new-team-title">New team</h2></div><div class="card-body">
      <form id="team-form" novalidate>${formAlert()}<div class="inline-form">
        ${field({ id: 'team-name', name: 'name', label: 'Name', required: true, attrs: html`autocomplete="off" spellcheck="false"` })}
        <button type="submit" class="btn primary" data-busy="Creating…">Create team</button></div></form></div></section>` : ''}
    <section class="card" aria-labelledby="teams-title"><div class="card-head"><h2 id="teams-title">Your teams</h2></div><div class="card-body flush" id="teams">${loading('Loading teams')}</div></section>`);
  const form = $('#team-form');
  form?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = form.elements.name;
    if (!checkAll(form, [[name, NAME.test(name.value.trim()) ? null : 'Lower-case letters, digits and inner hyphens, starting with a letter.']])) return;
    const created = await submitting(form, () => post('/api/teams', { name: name.value.trim() }));
    if (created) { toast(`Team ${created.name} created`); navigate(`#/teams/${enc(created.name)}`); }
  });
  const teams = await get('/api/teams', { signal: page.signal });
  setHtml($('#teams'), teams.length ? html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">Team</th><th scope="col">Your role</th><th scope="col">Created</th><th scope="col">By</th></tr></thead>
    <tbody>${teams.map((t) => html`<tr><td><a class="name" href="#/teams/${enc(t.name)}">${t.name}</a></td><td>${t.role ? badge('plain', t.role) : html`<span class="muted">platform admin</span>`}</td><td>${when(t.createdAt)}</td><td>${t.createdBy}</td></tr>`)}</tbody></table></div>`
    : html`<div class="empty"><h3>No teams</h3><p>Ask a platform admin to add you to a team.</p></div>`);
}

async function renderTeam(main, team, page) {
  let members;
  try {
    members = await get(`/api/teams/${enc(team)}/members`, { signal: page.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    setHtml(main, errorBlock(e, html`The team <strong>${team}</strong>`));
    return;
  }
  const myRole = (session.me?.teams ?? []).find((t) => t.team === team)?.role;
  const manage = isPlatformAdmin() || myRole === 'admin';
  setHtml(main, html`
    <div class="page-head"><div><div class="crumbs"><a href="#/teams">Teams</a></div><h1>${team}</h1><p class="sub">${members.length} ${members.length === 1 ? 'member' : 'members'}${myRole ? html` · you are ${myRole}` : ''}</p></div>
      <a class="btn" href="#/audit">Audit log</a></div>
    ${manage ? html`<section class="card" aria-labelledby="add-member-title" style="margin-bottom:16px"><div class="card-head"><h2 id="add-member-title">Add a member</h2></div><div class="card-body">
      <form id="member-form" novalidate>${formAlert()}<div class="inline-form">
        ${field({ id: 'member-user', name: 'user', label: 'User', required: true, attrs: html`autocomplete="off" spellcheck="false"` })}
        ${field({ id: 'member-role', name: 'role', kind: 'select', label: 'Role', options: ROLES })}
        <button type="submit" class="btn primary" data-busy="Adding…">Add member</button></div>
        <p class="hint" style="margin:8px 0 0">A new user is created on first add; give them a token on the Tokens page.</p></form></div></section>` : ''}
    <section class="card" aria-labelledby="members-title"><div class="card-head"><h2 id="members-title">Members</h2></div><div class="card-body flush" id="members"></div></section>`);
  const paint = (list) => setHtml($('#members'), list.length ? html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Since</th>${manage ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead>
    <tbody>${list.map((m) => html`<tr data-member="${m.user}"><td class="name">${m.user}</td>
      <td>${manage ? html`<label class="visually-hidden" for="role-${m.user}">Role of ${m.user}</label><select id="role-${m.user}" data-role-of="${m.user}" style="width:auto">${ROLES.map(([v, l]) => html`<option value="${v}" ${v === m.role ? 'selected' : ''}>${l}</option>`)}</select>` : badge('plain', m.role)}</td>
      <td>${when(m.since)}</td>
      ${manage ? html`<td class="num"><button type="button" class="btn small danger" data-remove="${m.user}">Remove ${m.user}</button></td>` : ''}</tr>`)}</tbody></table></div>`
    : html`<div class="empty"><h3>No members</h3></div>`);
  paint(members);
  const reload = async () => paint(await get(`/api/teams/${enc(team)}/members`, { signal: page.signal }));
  const form = $('#member-form');
  form?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const user = form.elements.user;
    if (!checkAll(form, [[user, user.value.trim() ? null : 'Name the user.']])) return;
    const added = await submitting(form, () => post(`/api/teams/${enc(team)}/members`, { user: user.value.trim(), role: form.elements.role.value }));
    if (added) { toast(`${added.user} added as ${added.role}`); user.value = ''; reload(); }
  });
  $('#members').addEventListener('change', async (e) => {
    const user = e.target.dataset.roleOf;
    if (!user) return;
    try {
      await put(`/api/teams/${enc(team)}/members/${enc(user)}`, { role: e.target.value });
      announce(`${user} is now ${e.target.value}`);
      toast(`${user} is now ${e.target.value}`);
    } catch (err) { toast(`${err.title}: ${err.message}`, 'bad'); reload(); }
  });
  $('#members').addEventListener('click', async (e) => {
    const user = e.target.closest('[data-remove]')?.dataset.remove;
    if (!user) return;
    try {
      await del(`/api/teams/${enc(team)}/members/${enc(user)}`);
      toast(`${user} removed from ${team}`);
      reload();
    } catch (err) { toast(`${err.title}: ${err.message}`, 'bad'); }
  });
}
