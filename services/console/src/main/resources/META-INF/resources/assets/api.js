// The console's one way to the API: every call goes to this origin's /api (the console proxies it to
// the owning service) with the token of this tab as a bearer header. The token lives in
// sessionStorage only: it never goes into a URL, the page or a log.

const TOKEN_KEY = 'berth.token';

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
  },
  /** GET /api/me of the signed-in caller, kept for the header and the pages */
  me: null,
};

/** An API answer that is not 2xx, with its RFC 7807 problem (title, detail, errors[{field, message}]). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
  get title() { return this.problem.title || statusText(this.status); }
}

function statusText(status) {
  return { 400: 'Invalid request', 401: 'Not signed in', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict',
    429: 'Too many requests', 503: 'Service unavailable' }[status] || (status === 0 ? 'No answer' : `Error ${status}`);
}

let onUnauthorized = () => {};
/** What to do when the token is refused mid-session (expired, revoked): the shell sends the user to the login page. */
export function whenUnauthorized(handler) { onUnauthorized = handler; }

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const token = session.token;
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

/**
 * One JSON call. Resolves to the parsed body (null when empty); rejects with ApiError. A 401 on
 * any call but the login check ends the session.
 */
export async function api(method, path, body, { signal, quietUnauthorized = false } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'No answer', detail: 'The console did not answer. Is Berth running?' });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text.slice(0, 300) }; }
  }
  if (!response.ok) {
    if (response.status === 401 && !quietUnauthorized) onUnauthorized();
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body ?? undefined, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/** A path segment or query value, encoded. */
export const enc = encodeURIComponent;

export function query(params) {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Reads a Server-Sent Events stream with fetch, since EventSource cannot send the bearer header.
 * Calls onEvent({event, data, id}) per event (data parsed as JSON when it is JSON). Resolves when the
 * server ends the stream; rejects with ApiError when it refuses to open it. Abort with signal.
 */
export async function streamEvents(path, { signal, onEvent, onOpen }) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal, cache: 'no-store' });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, problem);
  }
  onOpen?.();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    // events end with a blank line; a line ends with \n, \r\n or \r
    buffer = buffer.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseEvent(block);
      if (event) onEvent(event);
    }
  }
}

function parseEvent(block) {
  let event = 'message';
  let id = null;
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue; // a comment: the server's keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (!data.length) return null;
  const raw = data.join('\n');
  let parsed = raw;
  try { parsed = JSON.parse(raw); } catch { /* plain text */ }
  return { event, id, data: parsed };
}
