// A new release and its rollout, live. The form checks what it can before asking (required source,
// ranges, names), and shows the deploy service's RFC 7807 problem under the field it names when the
// server refuses. It starts from the current release's spec, as a redeploy usually changes little.
import { get, post, enc } from '../api.js';
import { html, setHtml, $, loading, announce, toast } from '../dom.js';
import { field, formAlert, submitting, checkAll } from '../forms.js';
import { mountRollout } from '../rollout.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export async function render(panel, { app, signal, refreshStatus }) {
  setHtml(panel, loading('Loading the current release'));
  // the form starts from the release that serves now (after a rollback that is not the newest one)
  let current = null;
  try {
    const fresh = await get(`/api/apps/${enc(app.name)}`, { signal });
    const version = fresh.currentRelease ?? fresh.targetRelease;
    current = version ? await get(`/api/apps/${enc(app.name)}/releases/${version}`, { signal }) : null;
  } catch (e) { if (e.name === 'AbortError') return; }
  const spec = current?.spec ?? {};
  setHtml(panel, html`<div class="grid deploy">
    <section class="card" aria-labelledby="release-title">
      <div class="card-head"><h2 id="release-title">New release</h2><span class="muted">${current ? `starts from v${current.version}` : 'first release'}</span></div>
      <div class="card-body">${form(spec, app)}</div>
    </section>
    <section class="card" aria-labelledby="live-title">
      <div class="card-head"><h2 id="live-title">Rollout</h2></div>
      <div class="card-body" id="deploy-rollout"></div>
    </section></div>`);
  const rollout = mountRollout($('#deploy-rollout'), app.name, signal, { onFinished: (r) => { refreshStatus(); toast(`Rollout to v${r.toRelease}: ${r.state.toLowerCase().replace('_', ' ')}`, r.state === 'COMPLETED' ? '' : 'bad'); } });
  const f = $('#release-form');
  f.elements.healthType.addEventListener('change', () => { f.elements.healthPath.disabled = f.elements.healthType.value !== 'http'; });
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { body, checks } = read(f);
    if (!checkAll(f, checks)) return;
    const created = await submitting(f, () => post(`/api/apps/${enc(app.name)}/releases`, body));
    if (created) {
      announce(`Release v${created.version} created; its rollout starts`);
      toast(`Release v${created.version} created`);
      refreshStatus();
      rollout.restart();
      $('#deploy-rollout').focus?.();
    }
  });
}

function form(spec, app) {
  const command = spec.command ? spec.command.map(quote).join(' ') : '';
  const env = (spec.env ?? []).filter((e) => !e.secret).map((e) => `${e.name}=${e.value}`).join('\n');
  const health = spec.health ?? {};
  const strategy = spec.strategy ?? {};
  return html`<form id="release-form" novalidate>
    ${formAlert()}
    <div class="fields">
      ${field({ id: 'rel-command', name: 'command', label: 'Command', wide: true, value: command, placeholder: 'java -jar /srv/app.jar', attrs: html`spellcheck="false" autocomplete="off"`, help: 'Run on the embedded agent; arguments split on spaces, quote an argument that has spaces. Or give an artifact or an image below.' })}
      ${field({ id: 'rel-artifact', name: 'artifact', label: 'Artifact (a jar: run as java -jar, or by the command, mounted read-only)', value: spec.artifact ?? '', placeholder: '/srv/app.jar', attrs: html`spellcheck="false"` })}
      ${field({ id: 'rel-image', name: 'image', label: 'Image (Kubernetes)', value: spec.image ?? '', placeholder: 'registry/app:1.2', attrs: html`spellcheck="false"` })}
      ${field({ id: 'rel-env', name: 'env', kind: 'textarea', wide: true, label: 'Environment', value: env, placeholder: 'NAME=value, one a line', help: 'One NAME=value a line. Secret values are kept encrypted and never shown again.' })}
      ${field({ id: 'rel-secrets', name: 'secrets', field: 'env', kind: 'textarea', wide: true, label: 'Secret environment', placeholder: 'DATABASE_PASSWORD=…', help: 'Not carried over from the previous release: enter them again to keep them.', attrs: html`autocomplete="off" spellcheck="false"` })}
      ${field({ id: 'rel-replicas', name: 'replicas', type: 'number', label: 'Instances', value: spec.replicas ?? app.replicas ?? 1, attrs: html`min="0" max="1000"` })}
      ${field({ id: 'rel-port', name: 'port', type: 'number', label: 'Port', value: spec.port ?? '', placeholder: '8080', attrs: html`min="1" max="65535"`, help: 'Given to the app as PORT.' })}
      ${field({ id: 'rel-health-type', name: 'healthType', field: 'health.type', kind: 'select', label: 'Health check', value: health.type ?? 'http', options: [['http', 'HTTP'], ['tcp', 'TCP connect']] })}
      ${field({ id: 'rel-health-path', name: 'healthPath', field: 'health.path', label: 'Health path', value: health.path ?? '/health', attrs: html`spellcheck="false"` })}
      ${field({ id: 'rel-cpu', name: 'cpuMillis', field: 'resources.cpuMillis', type: 'number', label: 'CPU (millicores)', value: spec.resources?.cpuMillis ?? '', placeholder: '1000', attrs: html`min="10" max="64000"` })}
      ${field({ id: 'rel-memory', name: 'memoryMiB', field: 'resources.memoryMiB', type: 'number', label: 'Memory (MiB)', value: spec.resources?.memoryMiB ?? '', placeholder: '512', attrs: html`min="16" max="262144"` })}
      ${field({ id: 'rel-surge', name: 'maxSurge', field: 'strategy.maxSurge', type: 'number', label: 'Max surge', value: strategy.maxSurge ?? '', placeholder: '1', attrs: html`min="0" max="100"`, help: 'Extra instances while rolling.' })}
      ${field({ id: 'rel-unavailable', name: 'maxUnavailable', field: 'strategy.maxUnavailable', type: 'number', label: 'Max unavailable', value: strategy.maxUnavailable ?? '', placeholder: '0', attrs: html`min="0" max="100"` })}
      ${field({ id: 'rel-canary', name: 'canary', field: 'strategy.canary.weight', type: 'number', label: 'Canary weight (%)', placeholder: 'none', attrs: html`min="1" max="99"`, help: 'Run the new release beside the old one with this share of the traffic until promoted.' })}
    </div>
    <div class="form-actions"><button type="submit" class="btn primary" data-busy="Deploying…">Deploy release</button><span class="muted">Enter submits.</span></div>
  </form>`;
}

const quote = (arg) => (/[\s"']/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg);

/** Splits a command line into arguments: spaces separate, "double" or 'single' quotes group, \ escapes. */
export function splitCommand(line) {
  const args = [];
  let current = '';
  let quoteChar = null;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length && quoteChar !== "'") { current += line[++i]; started = true; continue; }
    if (quoteChar) { if (c === quoteChar) quoteChar = null; else current += c; continue; }
    if (c === '"' || c === "'") { quoteChar = c; started = true; continue; }
    if (/\s/.test(c)) { if (started) { args.push(current); current = ''; started = false; } continue; }
    current += c;
    started = true;
  }
  if (started) args.push(current);
  return { args, unclosed: quoteChar !== null };
}

function envLines(text, secret) {
  const vars = [];
  const bad = [];
  text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).forEach((line) => {
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (eq < 0 || !ENV_NAME.test(name)) bad.push(name || line);
    else vars.push({ name, value: line.slice(eq + 1), secret });
  });
  return { vars, bad };
}

const int = (input) => (input.value.trim() === '' ? undefined : Number(input.value));
function range(input, min, max) {
  const v = int(input);
  if (v === undefined) return null;
  return Number.isInteger(v) && v >= min && v <= max ? null : `Must be a whole number from ${min} to ${max}.`;
}

function read(f) {
  const el = f.elements;
  const { args, unclosed } = splitCommand(el.command.value);
  const artifact = el.artifact.value.trim();
  const image = el.image.value.trim();
  const env = envLines(el.env.value, false);
  const secrets = envLines(el.secrets.value, true);
  const body = {};
  if (args.length) body.command = args;
  if (artifact) body.artifact = artifact;
  if (image) body.image = image;
  body.env = [...env.vars, ...secrets.vars];
  if (int(el.replicas) !== undefined) body.replicas = int(el.replicas);
  if (int(el.port) !== undefined) body.port = int(el.port);
  body.health = el.healthType.value === 'http' ? { type: 'http', path: el.healthPath.value.trim() || '/' } : { type: 'tcp' };
  if (int(el.cpuMillis) !== undefined || int(el.memoryMiB) !== undefined) body.resources = { cpuMillis: int(el.cpuMillis), memoryMiB: int(el.memoryMiB) };
  const strategy = { maxSurge: int(el.maxSurge), maxUnavailable: int(el.maxUnavailable) };
  if (int(el.canary) !== undefined) strategy.canary = { weight: int(el.canary) };
  if (Object.values(strategy).some((v) => v !== undefined)) body.strategy = strategy;
  const checks = [
    [el.command, unclosed ? 'A quote is not closed.'
      : !args.length && !artifact && !image ? 'Give a command, an artifact or an image.' : null],
    [el.artifact, artifact && !artifact.startsWith('/') ? 'Must be an absolute path.' : null],
    [el.env, env.bad.length ? `Not NAME=value with a valid name: ${env.bad.slice(0, 3).join(', ')}` : null],
    [el.secrets, secrets.bad.length ? `Not NAME=value with a valid name: ${secrets.bad.slice(0, 3).join(', ')}` : null],
    [el.replicas, range(el.replicas, 0, 1000)],
    [el.port, range(el.port, 1, 65535)],
    [el.healthPath, el.healthType.value === 'http' && el.healthPath.value.trim() && !el.healthPath.value.trim().startsWith('/') ? 'Must start with /.' : null],
    [el.cpuMillis, range(el.cpuMillis, 10, 64000)],
    [el.memoryMiB, range(el.memoryMiB, 16, 262144)],
    [el.maxSurge, range(el.maxSurge, 0, 100) ?? (int(el.maxSurge) === 0 && int(el.maxUnavailable) === 0 ? 'Max surge and max unavailable cannot both be 0: the rollout could never progress.' : null)],
    [el.maxUnavailable, range(el.maxUnavailable, 0, 100)],
    [el.canary, range(el.canary, 1, 99)],
  ];
  return { body, checks };
}
