// Single sign-on through the OIDC provider the services trust (decision 8): the authorization code
// flow with PKCE, run by this page as a public client. The provider's ID token becomes the bearer
// token, which every service verifies itself; nothing of it passes through a Berth server but as
// that header. The verifier and state live in sessionStorage for the one round trip to the provider.
const PENDING = 'berth.sso-pending';

/** What /login-options.json says: { token: true, oidc: { name, issuer, clientId, scopes, authorizationEndpoint, tokenEndpoint } | null }. */
export async function loginOptions() {
  try {
    const response = await fetch('/login-options.json', { headers: { Accept: 'application/json' } });
    return response.ok ? await response.json() : { token: true, oidc: null };
  } catch {
    return { token: true, oidc: null };
  }
}

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri() {
  return `${location.origin}/`;
}

/** Leaves for the provider's login page; it sends the browser back to / with a code. */
export async function beginSignIn(oidc) {
  const verifier = randomText();
  const state = randomText();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({
    verifier, state, clientId: oidc.clientId, tokenEndpoint: oidc.tokenEndpoint, issuer: oidc.issuer,
  }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: oidc.scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${oidc.authorizationEndpoint}?${query}`);
}

/**
 * On the way back from the provider: trades the code for the ID token. Returns the token, or null when
 * this page load is not a return from the provider; throws an Error whose message a person can act on.
 */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  // the code must not stay in the address bar, the history or a bookmark
  history.replaceState(null, '', `${location.pathname}#/login`);
  if (params.has('error')) {
    throw new Error(`The sign-in provider refused: ${params.get('error_description') || params.get('error')}`);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('This sign-in did not start here (its state does not match): sign in again.');
  }
  if (params.has('iss') && params.get('iss') !== pending.issuer) {
    throw new Error('The answer came from another provider than the one asked: sign in again.');
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.id_token) {
    throw new Error(`The sign-in provider gave no ID token (${body.error_description || body.error || `HTTP ${response.status}`}).`);
  }
  return body.id_token;
}
