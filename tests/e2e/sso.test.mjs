// Sign-in against a real OpenID provider configured like a Keycloak realm, in headless Chromium,
// and the security rules for bearer tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startOidcProvider } from './support/oidc-provider.mjs';
import { startService, freePort, makeGitRepos } from './support/service.mjs';
import { launchBrowser } from './support/browser.mjs';
import { signJwt, foreignKey } from './support/jwt.mjs';

let provider;
let service;
let browser;
let repos;
const tokensSeen = [];

before(async () => {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    appUrl,
    users: { alice: ['release-dev-lead'], quinn: ['release-qa'], rita: ['release-qa'] },
    serviceAccountRoles: ['release-dev-lead'],
  });
  repos = makeGitRepos();
  service = await startService({
    'Auth:Keycloak:Issuer': provider.issuer,
    'Auth:Keycloak:ClientId': provider.clientId,
    'Auth:Keycloak:ClientSecret': provider.clientSecret,
    'Auth:Keycloak:Audience': provider.audience,
    'Releases:Sources:LocalGit:Root': repos,
    // Roles are read again from the provider with the session's refresh token on every request
    // (5 minutes by default), so a test can see a revoked role stop working without waiting.
    'Auth:RoleRefreshInterval': '00:00:00',
    // Everything the auth handlers say, so the test would see a leaked secret or token.
    'Logging:LogLevel:Default': 'Debug',
    'Logging:LogLevel:Microsoft.AspNetCore': 'Debug',
  }, port);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  await provider?.close();
  if (repos) rmSync(repos, { recursive: true, force: true });
});

async function signInThroughProvider(page, user) {
  await page.goto(`${service.baseUrl}/`);
  await page.waitForSelector('input[name=login]');
  assert.ok(page.url().startsWith(provider.issuer), `expected the provider's login page, got ${page.url()}`);
  await page.fill('input[name=login]', user);
  await page.fill('input[name=password]', 'any password');
  await page.click('button.login-submit');
  // The consent screen ("Continue") appears on the first sign-in of this browser.
  await page.waitForURL((url) => url.href.startsWith(service.baseUrl) || url.href.includes('/interaction/'));
  if (page.url().includes('/interaction/')) {
    await page.click('button.login-submit');
  }
  await page.waitForURL(`${service.baseUrl}/**`);
}

const api = (page, method, path) => page.evaluate(async ([method, path]) => {
  const response = await fetch(path, { method, headers: { 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json' },
    body: method === 'POST' && path === '/api/releases' ? JSON.stringify({ sourceBranch: 'uat', destBranch: 'master' }) : undefined });
  return { status: response.status, body: await response.json().catch(() => null) };
}, [method, path]);

test('a person signs in at the provider, sees themself in /api/me, approves, and signs out at the provider too', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const endSessionRequests = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${provider.issuer}/session/end`)) endSessionRequests.push(request.url());
  });

  await signInThroughProvider(page, 'alice');

  const me = await api(page, 'GET', '/api/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.name, 'alice');
  assert.equal(me.body.id, `${provider.issuer}|alice`); // the id token's iss and sub
  assert.equal(me.body.email, 'alice@example.test');
  assert.deepEqual(me.body.roles, ['release-dev-lead']);
  assert.equal(me.body.canApproveDev, true);
  assert.equal(me.body.canApproveQa, false);

  const created = await api(page, 'POST', '/api/releases');
  assert.equal(created.status, 201);
  const approved = await api(page, 'POST', `/api/releases/${created.body.id}/approve/dev`);
  assert.equal(approved.status, 200);
  assert.equal(approved.body.devApproval.by, 'alice');
  assert.equal(approved.body.devApproval.byId, `${provider.issuer}|alice`);
  assert.equal((await api(page, 'POST', `/api/releases/${created.body.id}/approve/qa`)).status, 403);

  const session = (await context.cookies()).find((c) => c.name === 'releases.session');
  assert.ok(session, 'the session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');

  // Sign out: the provider asks to confirm ending its own session.
  await page.goto(`${service.baseUrl}/auth/logout`);
  await page.click('button[name=logout]');
  await page.waitForSelector('input[name=login]'); // back at the provider's sign-in: its session is gone too

  assert.equal(endSessionRequests.length >= 1, true);
  const endSession = new URL(endSessionRequests[0]);
  assert.ok(endSession.searchParams.get('id_token_hint'), 'logout sends id_token_hint');
  assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${service.baseUrl}/auth/signed-out`);
  const after = await context.request.get(`${service.baseUrl}/api/me`);
  assert.equal(after.status(), 401);
  await context.close();
});

test('a role revoked at the provider stops working at the session\'s next refresh, and one given starts', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughProvider(page, 'rita');
  const created = await api(page, 'POST', '/api/releases');
  assert.equal(created.status, 201);
  const approve = (kind) => api(page, 'POST', `/api/releases/${created.body.id}/approve/${kind}`);
  let me = await api(page, 'GET', '/api/me');
  assert.deepEqual(me.body.roles, ['release-qa']);
  assert.equal((await approve('dev')).status, 403);

  provider.setRoles('rita', []);
  me = await api(page, 'GET', '/api/me');
  assert.equal(me.status, 200, 'the session goes on: only its roles changed');
  assert.deepEqual(me.body.roles, []);
  assert.equal(me.body.canApproveQa, false);
  assert.equal((await approve('qa')).status, 403);

  provider.setRoles('rita', ['release-dev-lead']);
  me = await api(page, 'GET', '/api/me');
  assert.deepEqual(me.body.roles, ['release-dev-lead']);
  assert.equal((await approve('dev')).status, 200);
  await context.close();
});

test('a CI job calls the API with a client-credentials access token', async () => {
  const token = await provider.clientCredentialsToken();
  tokensSeen.push(token);
  const auth = { Authorization: `Bearer ${token}` };

  const me = await fetch(`${service.baseUrl}/api/me`, { headers: auth });
  assert.equal(me.status, 200);
  const who = await me.json();
  assert.equal(who.name, provider.clientId);
  assert.equal(who.id, `${provider.issuer}|${provider.clientId}`); // a client-credentials token's sub is the client

  // Bearer requests need no X-Requested-With: they carry no ambient credentials.
  const created = await fetch(`${service.baseUrl}/api/releases`, {
    method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ sourceBranch: 'uat', destBranch: 'master' }),
  });
  assert.equal(created.status, 201);
  const release = await created.json();
  const read = await fetch(`${service.baseUrl}/api/releases/${release.id}`, { headers: auth });
  assert.equal(read.status, 200);

  // Roles apply the same way: the service account holds the Dev-lead role only.
  assert.equal((await fetch(`${service.baseUrl}/api/releases/${release.id}/approve/dev`, { method: 'POST', headers: auth })).status, 200);
  assert.equal((await fetch(`${service.baseUrl}/api/releases/${release.id}/approve/qa`, { method: 'POST', headers: auth })).status, 403);
  assert.equal((await fetch(`${service.baseUrl}/api/releases/${release.id}/deploy`, { method: 'POST', headers: auth })).status, 409);
});

test('forged, expired and wrong-audience tokens are 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: provider.issuer, aud: provider.audience, sub: 'mallory', client_id: 'mallory', iat: now, exp: now + 300,
    realm_access: { roles: ['release-dev-lead', 'release-qa'] } };
  const genuine = signJwt(claims, provider.signingKey);
  const cases = {
    'well-formed, signed by the realm key': [genuine, 200],
    forged: [signJwt(claims, foreignKey(provider.signingKey.kid)), 401],
    expired: [signJwt({ ...claims, iat: now - 3600, exp: now - 600 }, provider.signingKey), 401],
    'wrong audience': [signJwt({ ...claims, aud: 'some-other-api' }, provider.signingKey), 401],
    'wrong issuer': [signJwt({ ...claims, iss: 'http://127.0.0.1:1/realms/evil' }, provider.signingKey), 401],
    'not a JWT': ['not-a-token', 401],
  };
  for (const [name, [token, status]] of Object.entries(cases)) {
    tokensSeen.push(token);
    const response = await fetch(`${service.baseUrl}/api/releases`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, status, `${name}: expected ${status}, got ${response.status}`);
  }
});

test('with a provider configured the development login does not exist, and returnUrl stays on this site', async () => {
  assert.equal((await fetch(`${service.baseUrl}/auth/dev-login?user=mallory&roles=release-qa`, { redirect: 'manual' })).status, 404);

  for (const returnUrl of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
    const response = await fetch(`${service.baseUrl}/auth/login?returnUrl=${encodeURIComponent(returnUrl)}`, { redirect: 'manual' });
    assert.equal(response.status, 400, returnUrl);
  }

  const login = await fetch(`${service.baseUrl}/auth/login?returnUrl=/releases`, { redirect: 'manual' });
  assert.equal(login.status, 302);
  const authorize = new URL(login.headers.get('location'));
  assert.ok(authorize.href.startsWith(`${provider.issuer}/auth`));
  // The provider offers pushed authorization requests, so the parameters (PKCE's code challenge
  // among them: the provider requires it, and the browser sign-in above succeeded) went ahead
  // over the back channel and the browser only carries a request_uri.
  const pushed = authorize.searchParams.get('request_uri');
  if (pushed) {
    assert.match(pushed, /^urn:ietf:params:oauth:request_uri:/);
  } else {
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('redirect_uri'), `${service.baseUrl}/auth/callback`);
  }
});

test('the client secret and tokens never reach the logs', () => {
  const output = service.output();
  assert.ok(output.length > 0);
  assert.ok(!output.includes(provider.clientSecret), 'the client secret was logged');
  for (const token of tokensSeen) {
    assert.ok(!output.includes(token), 'a bearer token was logged');
  }
});
