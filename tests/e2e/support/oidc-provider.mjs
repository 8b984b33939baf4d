// A real OpenID Connect provider (the npm package oidc-provider) on 127.0.0.1, set up like a
// Keycloak realm: issuer path /realms/<name>, roles in the realm_access.roles claim of access
// tokens, JWT access tokens for the API audience, and RP-initiated logout.
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

export const clientId = 'orleans-releases';
export const apiAudience = 'orleans-releases-api';
const apiResource = 'urn:orleans-releases:api';

/**
 * @param {object} options
 * @param {string} options.appUrl the service's base URL (redirect URIs are registered for it)
 * @param {Record<string, string[]>} options.users  user name → realm roles (see setRoles)
 * @param {string[]} options.serviceAccountRoles realm roles of the client's own (client-credentials) tokens
 */
export async function startOidcProvider({ appUrl, users, serviceAccountRoles = [], realm = 'test' }) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'realm-key', alg: 'RS256', use: 'sig' };
  const clientSecret = randomBytes(24).toString('base64url');

  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const mountPath = `/realms/${realm}`;
  const issuer = `http://127.0.0.1:${port}${mountPath}`;

  const rolesOf = (token) =>
    token.kind === 'ClientCredentials' ? serviceAccountRoles : (users[token.accountId] ?? []);

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [`${appUrl}/auth/callback`],
      post_logout_redirect_uris: [`${appUrl}/auth/signed-out`],
      grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [signingKey] },
    pkce: { required: () => true },
    // Like Keycloak: the code flow always gives a refresh token (oidc-provider's default asks for the
    // offline_access scope, which the service does not request, nor need with Keycloak).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, preferred_username: id, name: id, email: `${id}@example.test` };
        },
      };
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'] },
    // Like Keycloak: realm roles travel in the access token.
    async extraTokenClaims(ctx, token) {
      return { realm_access: { roles: rolesOf(token) } };
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: apiAudience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  provider.proxy = false;

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url.startsWith(mountPath)) {
      res.writeHead(404).end();
      return;
    }
    // Mounted under /realms/<name>, as Keycloak serves a realm.
    req.originalUrl = req.url;
    req.url = req.url.slice(mountPath.length) || '/';
    callback(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    audience: apiAudience,
    signingKey,
    /** Gives a user other realm roles, as an administrator would in Keycloak: tokens issued from now on carry them. */
    setRoles(user, roles) { users[user] = roles; },
    /** An access token from the client-credentials grant, as a CI job would get one. */
    async clientCredentialsToken() {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret,
          resource: apiResource, scope: 'api',
        }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`token request failed: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
