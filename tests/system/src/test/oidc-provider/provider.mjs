// A real OpenID Connect provider for Berth's login tests: panva/node-oidc-provider with its
// development login pages, on loopback. Not a stub: discovery, authorization code with PKCE,
// signed ID tokens and JWKS are the library's own.
//   OIDC_PORT          port to listen on (127.0.0.1)
//   OIDC_REDIRECT_URIS comma-separated redirect URIs of the client "berth-console"
//   OIDC_GROUPS        JSON: user name -> groups (e.g. {"alice":["berth:shop:developer"]})
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const groups = JSON.parse(process.env.OIDC_GROUPS || '{}');

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'berth-console',
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    redirect_uris: process.env.OIDC_REDIRECT_URIS.split(','),
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], profile: ['preferred_username', 'groups'] },
  // the claims go into the ID token itself: Berth's services verify only that token
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, preferred_username: id, groups: groups[id] || [] }),
  }),
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  // the console's page exchanges the code from the browser: the token endpoint must answer its origin
  clientBasedCORS: () => true,
  cookies: { keys: ['berth-test-only-cookie-key'] },
  ttl: { IdToken: 3600 },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
