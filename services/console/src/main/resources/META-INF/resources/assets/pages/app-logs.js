// An app's logs: a live tail (the log indexer's SSE, straight from Kafka) and a search over a time
// range with level, instance and text filters, paged with the API's search_after cursor.
import { get, streamEvents, enc, query, ApiError } from '../api.js';
import { html, setHtml, $, esc, clock, loading, announce, localInputValue } from '../dom.js';
import { field, formAlert, submitting, checkAll } from '../forms.js';

const LEVELS = [['', 'Any level'], ['error,fatal', 'Errors'], ['warn,error,fatal', 'Warnings and errors'], ['info', 'Info'], ['debug,trace', 'Debug']];
const MAX_TAIL_LINES = 1000;

export async function render(panel, { app, signal }) {
  let instances = [];
  try { instances = await get(`/api/apps/${enc(app.name)}/instances`, { signal }); } catch (e) { if (e.name === 'AbortError') return; }
  const now = new Date();
  setHtml(panel, html`
    <section class="card" aria-labelledby="logs-filter-title" style="margin-bottom:16px"><div class="card-head"><h2 id="logs-filter-title">Filters</h2><span class="muted">Apply to the live tail and the search</span></div><div class="card-body">
      <form id="logs-form" novalidate>${formAlert()}
        <div class="fields">
          ${field({ id: 'logs-q', name: 'q', type: 'search', label: 'Text', placeholder: 'words that must appear', attrs: html`spellcheck="false"` })}
          ${field({ id: 'logs-level', name: 'level', kind: 'select', label: 'Level', options: LEVELS })}
          ${field({ id: 'logs-instance', name: 'instance', kind: 'select', label: 'Instance', options: [['', 'All instances'], ...instances.map((i) => [i.id, `${i.id} (v${i.release})`])] })}
          ${field({ id: 'logs-from', name: 'from', type: 'datetime-local', label: 'From', value: localInputValue(new Date(now - 3600_000)), attrs: html`step="60"` })}
          ${field({ id: 'logs-to', name: 'to', type: 'datetime-local', label: 'To', value: localInputValue(new Date(now.getTime() + 60_000)), attrs: html`step="60"` })}
        </div>
        <div class="form-actions">
          <button type="submit" class="btn primary" data-busy="Searching…">Search</button>
          <button type="button" class="btn" id="tail-toggle" aria-pressed="false">Start live tail</button>
          <span class="muted" id="tail-state" role="status"></span>
        </div>
      </form></div></section>
    <section class="card" aria-labelledby="tail-title" style="margin-bottom:16px" id="tail-card" hidden>
      <div class="card-head"><h2 id="tail-title">Live tail</h2><span class="muted" id="tail-count"></span></div>
      <div class="logbox" id="tail" role="log" aria-live="polite" aria-label="Live log lines" tabindex="0"></div>
    </section>
    <section class="card" aria-labelledby="results-title">
      <div class="card-head"><h2 id="results-title">Search results</h2><span class="muted" id="results-note"></span></div>
      <div class="card-body flush" id="results"><div class="empty"><h3>Search the app's logs</h3><p>Pick a time range and filters, then Search. Newest lines first.</p></div></div>
      <div class="card-body" id="more" hidden><button type="button" class="btn" id="load-more">Load older lines</button></div>
    </section>`);

  const form = $('#logs-form');
  let tail = null;
  let next = null;
  let lastQuery = null;

  const filters = () => ({ q: form.elements.q.value.trim(), level: form.elements.level.value, instance: form.elements.instance.value });

  const search = async (append) => {
    const el = form.elements;
    const from = el.from.value ? new Date(el.from.value) : null;
    const to = el.to.value ? new Date(el.to.value) : null;
    if (!append) {
      const ok = checkAll(form, [
        [el.from, el.from.value && Number.isNaN(from.getTime()) ? 'Not a time.' : null],
        [el.to, from && to && to < from ? 'Must be after From.' : null],
      ]);
      if (!ok) return;
      lastQuery = { ...filters(), from: from?.toISOString(), to: to?.toISOString(), size: 100 };
      next = null;
    }
    const page = await submitting(form, () => get(`/api/logs/${enc(app.name)}${query({ ...lastQuery, searchAfter: append ? next : undefined })}`, { signal }));
    if (!page) return;
    next = page.next;
    const rows = page.lines.map(lineRow).join('');
    const table = $('#results table tbody');
    if (append && table) table.insertAdjacentHTML('beforeend', rows);
    else if (!page.lines.length) setHtml($('#results'), html`<div class="empty"><h3>No lines</h3><p>Nothing matches in that window. Widen the time range or clear a filter.</p></div>`);
    else $('#results').innerHTML = `<div class="table-wrap"><table class="log-table"><thead><tr><th scope="col">Time</th><th scope="col">Level</th><th scope="col">Instance</th><th scope="col">Message</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    const count = $('#results tbody')?.children.length ?? 0;
    $('#results-note').textContent = `${count} ${count === 1 ? 'line' : 'lines'}${next ? ', more available' : ''} · ${page.tookMillis} ms`;
    $('#more').hidden = !next;
    announce(`${count} log lines found`);
  };

  form.addEventListener('submit', (e) => { e.preventDefault(); search(false); });
  $('#load-more').addEventListener('click', () => search(true));

  const toggle = $('#tail-toggle');
  const stopTail = (message) => {
    tail?.abort();
    tail = null;
    toggle.setAttribute('aria-pressed', 'false');
    toggle.textContent = 'Start live tail';
    $('#tail-state').textContent = message ?? 'Live tail stopped.';
  };
  const startTail = () => {
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort());
    tail = controller;
    toggle.setAttribute('aria-pressed', 'true');
    toggle.textContent = 'Stop live tail';
    $('#tail-card').hidden = false;
    const box = $('#tail');
    box.innerHTML = '<div class="line empty" data-waiting><span></span><span></span><span></span><span>Connecting…</span></div>';
    $('#tail-state').textContent = 'Connecting…';
    let count = 0;
    streamEvents(`/api/logs/${enc(app.name)}/tail${query({ ...filters(), since: '5m' })}`, {
      signal: controller.signal,
      onEvent: ({ event, data }) => {
        if (event === 'ready') {
          $('#tail-state').textContent = 'Live: new lines appear as they are written.';
          const waiting = box.querySelector('[data-waiting]');
          if (waiting) waiting.lastElementChild.textContent = 'Waiting for lines…';
          return;
        }
        if (event !== 'log' || typeof data !== 'object') return;
        box.querySelector('[data-waiting]')?.remove();
        const stick = box.scrollTop + box.clientHeight >= box.scrollHeight - 24;
        box.insertAdjacentHTML('beforeend', tailLine(data));
        count++;
        while (box.childElementCount > MAX_TAIL_LINES) box.firstElementChild.remove();
        if (stick) box.scrollTop = box.scrollHeight;
        $('#tail-count').textContent = `${count} ${count === 1 ? 'line' : 'lines'}`;
      },
    }).then(() => { if (tail === controller) stopTail('The server ended the live tail.'); })
      .catch((e) => { if (e.name !== 'AbortError' && tail === controller) stopTail(`Live tail failed: ${e instanceof ApiError ? e.message : e}`); });
  };
  toggle.addEventListener('click', () => (tail ? stopTail() : startTail()));
  // a change of filter restarts a running tail with the new filter
  for (const name of ['level', 'instance']) form.elements[name].addEventListener('change', () => { if (tail) { stopTail(); startTail(); } });
  signal.addEventListener('abort', () => tail?.abort());
  // as with `heroku logs --tail`, opening the logs follows them; Stop ends it
  startTail();
}

const levelClass = (level) => `lv lv-${esc((level || 'info').toLowerCase())}`;

function tailLine(l) {
  return `<div class="line" data-line-id="${esc(l.id)}"><span class="t">${esc(clock(l.time))}</span><span class="${levelClass(l.level)}">${esc((l.level || '').toUpperCase())}</span><span class="i" title="${esc(l.instance)}">${esc(l.instance)}</span><span>${esc(l.message)}</span></div>`;
}

function lineRow(l) {
  return `<tr><td class="nowrap mono">${esc(new Date(l.time).toLocaleString([], { hour12: false }))}</td><td><span class="badge plain ${l.level === 'error' || l.level === 'fatal' ? 'bad' : l.level === 'warn' ? 'warn' : ''}">${esc(l.level || '—')}</span></td><td class="mono nowrap">${esc(l.instance)}</td><td class="msg">${esc(l.message)}</td></tr>`;
}
