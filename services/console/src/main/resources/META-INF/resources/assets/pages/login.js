// Sign in by pasting an API token. The token is checked with GET /api/me before it is kept (in this
// tab's sessionStorage only), so a wrong one is refused here with a clear message.
import { session, get, ApiError } from '../api.js';
import { html, setHtml, $ } from '../dom.js';
import { field, formAlert, fieldError, clearErrors, submitting } from '../forms.js';
import { navigate } from '../main.js';
import { loginOptions, beginSignIn } from '../sso.js';

export const key = 'login';

export async function render(main) {
  const reason = sessionStorage.getItem('berth.signout-reason');
  sessionStorage.removeItem('berth.signout-reason');
  setHtml(main, html`
    <section class="login" aria-labelledby="login-title">
      <div class="card"><div class="card-body">
        <h1 id="login-title">Sign in to Berth</h1>
        <div id="sso" hidden></div>
        <p>Paste an API token. Create one with <code>berth tokens create</code>, or ask a team admin.</p>
        ${reason ? html`<div class="alert info" role="status" style="margin-bottom:16px">${reason}</div>` : ''}
        <form id="login-form" novalidate>
          ${formAlert()}
          <div class="stack" style="margin-top:8px">
            ${field({ id: 'token', label: 'API token', type: 'password', required: true, attrs: html`autocomplete="off" spellcheck="false" autofocus`, help: 'Kept in this browser tab only, until you sign out or close it.' })}
          </div>
          <div class="form-actions"><button type="submit" class="btn primary" data-busy="Checking…">Sign in</button></div>
        </form>
      </div></div>
    </section>`);
  offerSingleSignOn();
  const form = $('#login-form');
  const input = $('#token');
  input.focus();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    clearErrors(form);
    if (!token) {
      fieldError(form, input, 'Paste your token here.');
      input.focus();
      return;
    }
    await submitting(form, async () => {
      session.token = token;
      try {
        session.me = await get('/api/me', { quietUnauthorized: true });
      } catch (error) {
        session.token = null;
        if (error instanceof ApiError && error.status === 401) {
          // the same words for an unknown, revoked or expired token: the API does not say which
          throw new ApiError(401, { title: 'Sign-in failed', detail: 'That token was not accepted: it is wrong, revoked or expired.', errors: [{ field: 'token', message: 'not accepted: wrong, revoked or expired' }] });
        }
        throw error;
      }
      input.value = '';
      navigate('#/apps');
    });
  });
}

// The provider's button, when the console has a client at the OIDC provider the services trust.
async function offerSingleSignOn() {
  const { oidc } = await loginOptions();
  const box = $('#sso');
  if (!oidc || !box) return;
  setHtml(box, html`
    <button type="button" id="sso-sign-in" class="btn primary">Sign in with ${oidc.name}</button>
    <p style="color:var(--muted);margin:12px 0 0">or</p>`);
  box.hidden = false;
  $('#sso-sign-in').addEventListener('click', (e) => {
    e.currentTarget.disabled = true;
    beginSignIn(oidc);
  });
}
