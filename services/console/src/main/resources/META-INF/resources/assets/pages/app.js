// One app: its header and tabs; each tab is a module of its own (app-*.js). Tabs are buttons in a
// tablist (arrow keys move between them) that also change the URL, so a tab can be linked and
// reloaded. Switching tabs keeps the header and aborts the old tab's streams.
import { get, enc } from '../api.js';
import { html, setHtml, $, $$, badge, loading } from '../dom.js';
import { errorBlock } from '../forms.js';

export const key = 'app';

const TABS = [
  ['overview', 'Overview', () => import('./app-overview.js')],
  ['deploy', 'Deploy', () => import('./app-deploy.js')],
  ['releases', 'Releases', () => import('./app-releases.js')],
  ['instances', 'Instances & scale', () => import('./app-instances.js')],
  ['autoscaling', 'Autoscaling', () => import('./app-autoscaling.js')],
  ['logs', 'Logs', () => import('./app-logs.js')],
];

export async function render(main, { app, tab }, page) {
  setHtml(main, loading(`Loading ${app}`));
  let info;
  try {
    info = await get(`/api/apps/${enc(app)}`, { signal: page.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    setHtml(main, errorBlock(e, html`The app <strong>${app}</strong>`));
    document.title = 'Not found · Berth';
    return;
  }
  page.app = info;
  setHtml(main, html`
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/apps">Apps</a> / ${info.team}</div>
        <div class="row"><h1>${info.name}</h1><span id="app-status"></span></div>
        <p class="sub" id="app-sub">${subline(info)}</p>
      </div>
    </div>
    <div class="tabs" role="tablist" aria-label="${info.name}">
      ${TABS.map(([id, label]) => html`<button type="button" role="tab" id="tab-${id}" aria-controls="tab-panel" data-tab="${id}">${label}</button>`)}
    </div>
    <section id="tab-panel" role="tabpanel" tabindex="-1"></section>`);
  const tablist = $('[role=tablist]', main);
  tablist.addEventListener('click', (e) => {
    const button = e.target.closest('[data-tab]');
    if (button) location.hash = `#/apps/${enc(info.name)}/${button.dataset.tab}`;
  });
  tablist.addEventListener('keydown', (e) => {
    const buttons = $$('[role=tab]', tablist);
    const at = buttons.indexOf(document.activeElement);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (next === undefined || at < 0) return;
    e.preventDefault();
    const target = buttons[(next + buttons.length) % buttons.length];
    target.focus();
    target.click();
  });
  refreshStatus(info.name, page);
  const timer = setInterval(() => refreshStatus(info.name, page), 5000);
  page.onLeave(() => clearInterval(timer));
  await showTab(tab, page);
}

export async function update({ tab }, page) {
  await showTab(tab, page);
}

/** The header's badge and release line, kept current while the page is open (deploys, scales, the autoscaler). */
async function refreshStatus(app, page) {
  try {
    const [overview, info] = await Promise.all([
      get('/api/console/overview', { signal: page.signal }),
      get(`/api/apps/${enc(app)}`, { signal: page.signal }),
    ]);
    const mine = (overview.apps ?? []).find((a) => a.name === app);
    page.overview = overview;
    page.summary = mine;
    page.app = { ...page.app, ...info };
    if (mine) setHtml($('#app-status'), badge(mine.status));
    const sub = $('#app-sub');
    if (sub) sub.textContent = subline(info);
  } catch { /* the header is a nicety: the tabs say the rest */ }
}

function subline(info) {
  const rolling = info.targetRelease && info.targetRelease !== info.currentRelease;
  const release = info.currentRelease
    ? `v${info.currentRelease}${rolling ? `, rolling out v${info.targetRelease}` : ''}`
    : rolling ? `First release v${info.targetRelease} rolling out` : 'No release yet';
  return `${release} · ${info.replicas} ${info.replicas === 1 ? 'instance' : 'instances'} wanted`;
}

async function showTab(tab, page) {
  const entry = TABS.find(([id]) => id === tab) ?? TABS[0];
  page.tabController?.abort();
  const controller = new AbortController();
  page.signal.addEventListener('abort', () => controller.abort());
  page.tabController = controller;
  for (const button of $$('[role=tab]')) {
    const on = button.dataset.tab === entry[0];
    button.setAttribute('aria-selected', String(on));
    button.tabIndex = on ? 0 : -1;
  }
  const panel = $('#tab-panel');
  panel.setAttribute('aria-labelledby', `tab-${entry[0]}`);
  setHtml(panel, loading('Loading'));
  const module = await entry[2]();
  if (controller.signal.aborted) return;
  try {
    await module.render(panel, { app: page.app, page, signal: controller.signal, refreshStatus: () => refreshStatus(page.app.name, page) });
  } catch (e) {
    if (e.name !== 'AbortError') setHtml(panel, errorBlock(e, 'This view'));
  }
}
