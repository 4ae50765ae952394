// The shell: who is signed in, the header, and hash routing to one module per page. A page module
// exports render(main, params, page) and may export update(params, page) for a change within itself
// (an app's tabs) so that focus and live streams survive it. page.signal aborts when it is left.
import { session, get, whenUnauthorized, ApiError } from './api.js';
import { completeSignIn } from './sso.js';
import { html, setHtml, esc, $, announce } from './dom.js';

const ROUTES = [
  [/^#\/login$/, () => import('./pages/login.js'), () => ({})],
  [/^#\/apps$/, () => import('./pages/apps.js'), () => ({})],
  [/^#\/apps\/([^/]+)(?:\/([a-z-]+))?$/, () => import('./pages/app.js'), (m) => ({ app: decodeURIComponent(m[1]), tab: m[2] || 'overview' })],
  [/^#\/teams$/, () => import('./pages/teams.js'), () => ({})],
  [/^#\/teams\/([^/]+)$/, () => import('./pages/teams.js'), (m) => ({ team: decodeURIComponent(m[1]) })],
  [/^#\/tokens$/, () => import('./pages/tokens.js'), () => ({})],
  [/^#\/audit$/, () => import('./pages/audit.js'), () => ({})],
  [/^#\/platform$/, () => import('./pages/platform.js'), () => ({})],
];

const TEAM_KEY = 'berth.team';
let current = null; // { module, controller, key }

/** The team the header's picker is on ('' = every team the caller sees). */
export function selectedTeam() {
  return sessionStorage.getItem(TEAM_KEY) ?? '';
}

export function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

export function signOut(reason) {
  session.token = null;
  session.me = null;
  sessionStorage.removeItem(TEAM_KEY);
  sessionStorage.setItem('berth.signout-reason', reason || '');
  renderHeader();
  navigate('#/login');
}

whenUnauthorized(() => {
  if (session.token) signOut('Your token was refused (expired or revoked). Sign in again.');
});

/** Loads GET /api/me for the stored token; false when there is none or it is refused. */
async function loadMe() {
  if (!session.token) return false;
  if (session.me) return true;
  try {
    session.me = await get('/api/me', { quietUnauthorized: true });
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session.token = null;
      sessionStorage.setItem('berth.signout-reason', 'Your session ended: the token is no longer accepted.');
      return false;
    }
    throw e;
  }
}

export function isPlatformAdmin() {
  return Boolean(session.me?.platformAdmin);
}

/** Teams where the caller is admin (team admins manage members and read their team's audit). */
export function adminTeams() {
  return (session.me?.teams ?? []).filter((t) => t.role === 'admin').map((t) => t.team);
}

function renderHeader() {
  const nav = $('#topnav');
  const box = $('#session');
  const me = session.me;
  if (!me) { setHtml(nav, ''); setHtml(box, ''); return; }
  const links = [['#/apps', 'Apps'], ['#/teams', 'Teams'], ['#/tokens', 'Tokens']];
  if (isPlatformAdmin() || adminTeams().length) links.push(['#/audit', 'Audit']);
  if (isPlatformAdmin()) links.push(['#/platform', 'Platform']);
  setHtml(nav, links.map(([href, label]) => html`<a href="${href}" data-nav="${href}">${label}</a>`));
  const teams = me.teams ?? [];
  const selected = selectedTeam();
  const roleHere = teams.find((t) => t.team === selected)?.role;
  const roleText = me.platformAdmin ? 'platform admin' : roleHere ?? (teams.length === 1 ? teams[0].role : `${teams.length} teams`);
  setHtml(box, html`
    <label for="team-picker">Team</label>
    <select id="team-picker">
      ${teams.length !== 1 ? html`<option value="">All teams</option>` : ''}
      ${teams.map((t) => html`<option value="${t.team}" ${t.team === selected ? 'selected' : ''}>${t.team}</option>`)}
    </select>
    <div class="who"><strong data-user>${me.user}</strong><span>${roleText}</span></div>
    <span class="avatar" aria-hidden="true">${(me.user || '?').slice(0, 1)}</span>
    <button type="button" class="btn small" id="sign-out">Sign out</button>`);
  $('#team-picker').addEventListener('change', (e) => {
    sessionStorage.setItem(TEAM_KEY, e.target.value);
    renderHeader();
    announce(e.target.value ? `Team ${e.target.value}` : 'All teams');
    route(true);
  });
  $('#sign-out').addEventListener('click', () => signOut('You signed out.'));
  markNav();
}

function markNav() {
  const hash = location.hash;
  for (const a of document.querySelectorAll('#topnav a')) {
    const on = hash === a.dataset.nav || hash.startsWith(`${a.dataset.nav}/`);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

async function route(force = false) {
  const main = $('#main');
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    location.replace('#/apps');
    return;
  }
  let signedIn;
  try {
    signedIn = await loadMe();
  } catch (e) {
    setHtml(main, html`<div class="alert bad" role="alert"><strong>${e.title ?? 'Error'}</strong>: ${e.message}</div>`);
    return;
  }
  if (!signedIn && location.hash !== '#/login') {
    location.replace('#/login');
    return;
  }
  if (signedIn && location.hash === '#/login') {
    location.replace('#/apps');
    return;
  }
  if (signedIn && selectedTeam() === '' && (session.me.teams ?? []).length === 1) {
    sessionStorage.setItem(TEAM_KEY, session.me.teams[0].team);
  }
  renderHeader();
  const found = ROUTES.map(([re, load, params]) => [location.hash.match(re), load, params]).find(([m]) => m);
  if (!found) {
    leave();
    setHtml(main, html`<div class="card"><div class="empty" role="alert"><h2>Not found</h2><p>There is no page at ${location.hash}.</p><p><a href="#/apps">Back to your apps</a></p></div></div>`);
    return;
  }
  const [match, load, toParams] = found;
  const module = await load();
  const params = toParams(match);
  const key = `${module.key ?? ''}:${params.app ?? params.team ?? ''}`;
  if (!force && current && current.module === module && current.key === key && module.update) {
    module.update(params, current.page);
    return;
  }
  leave();
  const controller = new AbortController();
  const cleanups = [];
  const page = { signal: controller.signal, onLeave: (fn) => cleanups.push(fn), team: selectedTeam() };
  current = { module, controller, key, page, cleanups };
  window.scrollTo(0, 0);
  try {
    await module.render(main, params, page);
  } catch (e) {
    if (e?.name !== 'AbortError') {
      setHtml(main, html`<div class="alert bad" role="alert"><strong>${e.title ?? 'Error'}</strong>: ${esc(e.message)}</div>`);
    }
  }
  const heading = main.querySelector('h1');
  if (heading) document.title = `${heading.textContent.trim()} · Berth`;
}

function leave() {
  if (!current) return;
  current.controller.abort();
  for (const fn of current.cleanups) { try { fn(); } catch { /* leaving anyway */ } }
  current = null;
}

window.addEventListener('hashchange', () => route());
// a click on a nav link moves focus to the page, as a full page load would
document.addEventListener('click', (e) => {
  if (e.target.closest('#topnav a, .brand')) setTimeout(() => $('#main').focus({ preventScroll: true }), 0);
});
// a return from the single sign-on provider carries a code to trade for the token before anything routes
completeSignIn()
  .then((token) => { if (token) session.token = token; })
  .catch((e) => sessionStorage.setItem('berth.signout-reason', e.message))
  .finally(() => route());
