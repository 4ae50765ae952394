// API tokens of a user (yours by default; a team admin or the platform admin may name another):
// create (the secret is shown once, here, and nowhere else), list, revoke.
import { get, post, del, enc, session } from '../api.js';
import { html, setHtml, $, badge, when, loading, toast, announce } from '../dom.js';
import { field, formAlert, submitting, checkAll, errorBlock } from '../forms.js';

export const key = 'tokens';

export async function render(main, params, page) {
  const me = session.me;
  const mayChooseUser = me.platformAdmin || (me.teams ?? []).some((t) => t.role === 'admin');
  let user = me.kind === 'user' ? me.user : '';
  setHtml(main, html`
    <div class="page-head"><div><h1>API tokens</h1><p class="sub">For the CLI, scripts and this console. A token acts as its user.</p></div></div>
    ${mayChooseUser ? html`<form id="user-form" class="inline-form" style="margin-bottom:16px" novalidate>
      ${field({ id: 'tokens-user', name: 'user', label: 'User', value: user, attrs: html`autocomplete="off" spellcheck="false"` })}
      <button type="submit" class="btn">Show tokens</button></form>` : ''}
    <section class="card" aria-labelledby="new-token-title" style="margin-bottom:16px"><div class="card-head"><h2 id="new-token-title">New token</h2></div><div class="card-body">
      <form id="token-form" novalidate>${formAlert()}<div class="inline-form">
        ${field({ id: 'token-name', name: 'name', label: 'Name', required: true, placeholder: 'laptop', attrs: html`autocomplete="off" spellcheck="false"` })}
        ${field({ id: 'token-ttl', name: 'ttl', kind: 'select', label: 'Expires', options: [['90d', 'in 90 days'], ['30d', 'in 30 days'], ['7d', 'in 7 days'], ['1d', 'in a day'], ['', 'never']] })}
        <button type="submit" class="btn primary" data-busy="Creating…">Create token</button></div></form>
      <div id="new-token" aria-live="polite"></div></div></section>
    <section class="card" aria-labelledby="tokens-title"><div class="card-head"><h2 id="tokens-title">Tokens</h2><span class="muted" id="tokens-of"></span></div><div class="card-body flush" id="tokens"></div></section>`);

  const load = async () => {
    if (!user) { setHtml($('#tokens'), html`<div class="empty"><h3>Name a user</h3><p>Enter a user above to see their tokens.</p></div>`); return; }
    $('#tokens-of').textContent = `of ${user}`;
    setHtml($('#tokens'), loading('Loading tokens'));
    try {
      const tokens = await get(`/api/users/${enc(user)}/tokens`, { signal: page.signal });
      setHtml($('#tokens'), tokens.length ? html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Id</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${tokens.map((t) => html`<tr data-token="${t.id}"><td class="name">${t.name}</td><td>${badge(t.state)}</td><td>${when(t.createdAt)} <span class="muted">by ${t.createdBy}</span></td>
          <td>${t.expiresAt ? new Date(t.expiresAt).toLocaleDateString() : 'never'}</td><td class="mono faint">${t.id.slice(0, 8)}</td>
          <td class="num">${t.state === 'active' ? html`<button type="button" class="btn small danger" data-revoke="${t.id}" aria-label="Revoke token ${t.name}">Revoke</button>` : ''}</td></tr>`)}</tbody></table></div>`
        : html`<div class="empty"><h3>No tokens</h3><p>Create one above.</p></div>`);
    } catch (e) {
      if (e.name !== 'AbortError') setHtml($('#tokens'), errorBlock(e, html`The user <strong>${user}</strong>`));
    }
  };
  const userForm = $('#user-form');
  userForm?.addEventListener('submit', (e) => { e.preventDefault(); user = userForm.elements.user.value.trim(); $('#new-token').innerHTML = ''; load(); });

  const form = $('#token-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = form.elements.name;
    if (!checkAll(form, [[name, name.value.trim() ? null : 'Give the token a name, such as where it is used.'], [name, user ? null : 'Name a user above first.']])) return;
    const created = await submitting(form, () => post(`/api/users/${enc(user)}/tokens`, { name: name.value.trim(), ttl: form.elements.ttl.value || undefined }));
    if (!created) return;
    name.value = '';
    // the one place a token is ever put on the page: the API shows it this once
    setHtml($('#new-token'), html`<div class="alert ok" style="margin-top:16px" role="alert">
      <p style="margin:0 0 8px"><strong>Token ${created.name} created.</strong> Copy it now: it is shown only this once.</p>
      <div class="secret-once" id="created-token" tabindex="0" aria-label="The new token">${created.token}</div>
      <div class="row" style="margin-top:8px"><button type="button" class="btn small" id="copy-token">Copy</button><button type="button" class="btn small" id="hide-token">I have stored it</button></div></div>`);
    $('#copy-token').addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(created.token); toast('Copied'); } catch { toast('Select the token and copy it', 'bad'); }
    });
    $('#hide-token').addEventListener('click', () => { $('#new-token').innerHTML = ''; announce('Token hidden'); form.elements.name.focus(); });
    $('#created-token').focus();
    load();
  });
  $('#tokens').addEventListener('click', async (e) => {
    const id = e.target.closest('[data-revoke]')?.dataset.revoke;
    if (!id) return;
    try {
      await del(`/api/tokens/${enc(id)}`);
      toast('Token revoked: it stops working within a second');
      load();
    } catch (err) { toast(`${err.title}: ${err.message}`, 'bad'); }
  });
  await load();
}
