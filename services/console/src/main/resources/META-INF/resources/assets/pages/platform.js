// The platform's services and whether each is ready (platform admin only).
import { get } from '../api.js';
import { html, setHtml, $, badge, loading } from '../dom.js';
import { errorBlock } from '../forms.js';

export const key = 'platform';

export async function render(main, params, page) {
  setHtml(main, html`
    <div class="page-head"><div><h1>Platform</h1><p class="sub">Berth's own services, checked now (readiness).</p></div><button type="button" class="btn" id="platform-refresh">Check again</button></div>
    <div class="grid four" id="platform-stats" style="margin-bottom:16px"></div>
    <section class="card" aria-labelledby="services-title"><div class="card-head"><h2 id="services-title">Services</h2><span class="muted" id="platform-note"></span></div>
      <div class="card-body flush" id="services" aria-live="polite">${loading('Checking the services')}</div></section>`);
  const load = async () => {
    let services;
    try {
      services = await get('/api/console/platform', { signal: page.signal });
    } catch (e) {
      if (e.name !== 'AbortError') setHtml($('#services'), errorBlock(e, 'The platform view'));
      return;
    }
    const ready = services.filter((s) => s.ready).length;
    setHtml($('#platform-stats'), html`
      <div class="card stat"><div class="label">Services</div><div class="value">${services.length}</div></div>
      <div class="card stat"><div class="label">Ready</div><div class="value">${ready}</div></div>
      <div class="card stat"><div class="label">Not ready</div><div class="value">${services.length - ready}</div></div>
      <div class="card stat"><div class="label">Checked</div><div class="value" style="font-size:16px;padding-top:6px">${new Date().toLocaleTimeString([], { hour12: false })}</div></div>`);
    $('#platform-note').textContent = `${ready} of ${services.length} ready`;
    setHtml($('#services'), html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Service</th><th scope="col">Status</th><th scope="col">Address</th><th scope="col">Detail</th></tr></thead>
      <tbody>${services.map((s) => html`<tr data-service="${s.name}"><td class="name">${s.name}</td><td>${s.ready ? badge('ok', 'ready') : badge('failed', 'not ready')}</td><td class="mono">${s.url}</td><td class="muted">${s.detail ?? ''}</td></tr>`)}</tbody></table></div>`);
  };
  $('#platform-refresh').addEventListener('click', load);
  await load();
  const timer = setInterval(load, 10000);
  page.onLeave(() => clearInterval(timer));
}
