// GitHub's own example webhook payloads (@octokit/webhooks-examples), every `push`, `ping`,
// `status`, `check_run` and `check_suite`,
// signed as GitHub signs them (HMAC SHA-256 of the raw body in X-Hub-Signature-256, with
// X-GitHub-Event and X-GitHub-Delivery), delivered to the real service (the built src/Silo, started
// as the end-to-end tests start it) whose GitHub source points at the fake GitHub, run standalone
// (tests/OrleansReleases.QueryDump fake-github) and seeded with the examples' organisation and repo.
// Every delivery is accepted, and a push to a branch refreshes the open release of that branch.
// The checks events (whose examples name other repos and commits too) are accepted and read, never refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { startFakeGitHub, startService } from './support.mjs';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
const pushes = examples.find((e) => e.name === 'push').examples;
const pings = examples.find((e) => e.name === 'ping').examples;
const checkEvents = ['status', 'check_run', 'check_suite'].map((name) => [name, examples.find((e) => e.name === name)?.examples ?? []]);
const branchPushes = pushes.filter((p) => p.ref.startsWith('refs/heads/'));
const otherPushes = pushes.filter((p) => !p.ref.startsWith('refs/heads/'));

const secret = 'contract-webhook-secret';
const token = 'ghp_contract-webhooks';
// The examples' repository, and the branch their branch pushes go to.
const [org, repo] = branchPushes[0].repository.full_name.split('/');
const pushedBranch = branchPushes[0].ref.slice('refs/heads/'.length);
const otherBranch = pushedBranch === 'uat' ? 'qa' : 'uat';

let fake;
let service;
let cookie;

before(async () => {
  assert.ok(branchPushes.length > 0 && pings.length > 0);
  assert.ok(branchPushes.every((p) => p.repository.full_name === `${org}/${repo}` && p.ref === `refs/heads/${pushedBranch}`));
  fake = await startFakeGitHub(org, token);
  await fake.seedRepo({
    name: repo,
    branches: [{ name: pushedBranch }, { name: otherBranch, from: pushedBranch, commits: [{ author: 'Alice', login: 'alice' }] }],
  });
  service = await startService({
    'Releases:GitHub:Organization': org,
    'Releases:GitHub:Token': token,
    'Releases:GitHub:ApiUrl': fake.apiUrl,
    'Releases:GitHub:WebhookSecret': secret,
    'Releases:GitHub:CommitStatuses': 'false',
    'Releases:GitHub:RetryDelay': '00:00:00.010',
  });
  const login = await fetch(`${service.baseUrl}/auth/dev-login?user=alice&roles=release-dev-lead&returnUrl=/`, { redirect: 'manual' });
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  assert.ok(cookie, `no session cookie (${login.status})`);
});

after(async () => {
  await service?.stop();
  await fake?.stop();
});

function deliver(event, payload, signature = undefined) {
  const body = JSON.stringify(payload);
  return fetch(`${service.baseUrl}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/contract',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-github-hook-id': '1',
      'x-hub-signature-256': signature ?? `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
}

async function api(method, path, body) {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: { cookie, 'x-requested-with': 'XMLHttpRequest', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

test('every ping example, signed, is answered 2xx', async () => {
  for (const payload of pings) {
    const response = await deliver('ping', payload);
    assert.ok(response.ok, `ping (${payload.hook?.type}): ${response.status} ${await response.text()}`);
  }
});

for (const [event, payloads] of checkEvents) {
  test(`every ${event} example (${payloads.length}), signed, is accepted (2xx)`, async () => {
    assert.ok(payloads.length > 0, `@octokit/webhooks-examples has no ${event} example`);
    for (const payload of payloads) {
      const response = await deliver(event, payload);
      const what = `${event} ${payload.action ?? payload.state ?? ''} of ${payload.repository?.full_name}`;
      assert.ok(response.ok, `${what}: ${response.status} ${await response.text()}`);
    }
  });
}

test('a check_run example with a wrong signature is refused 401', async () => {
  const response = await deliver('check_run', checkEvents[1][1][0], `sha256=${'0'.repeat(64)}`);
  assert.equal(response.status, 401);
});

test('a push example with a wrong signature is refused 401', async () => {
  const response = await deliver('push', branchPushes[0], `sha256=${'0'.repeat(64)}`);
  assert.equal(response.status, 401);
});

test('every push example, signed, is accepted, and the branch pushes refresh the release of that branch', async () => {
  const created = await api('POST', '/api/releases', { sourceBranch: otherBranch, destBranch: pushedBranch });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const before = created.body.repos.find((r) => r.name === repo);
  assert.equal(before.commitCount, 1);

  // New commits the release has not seen; only a refresh brings them in.
  const head = await fake.commit(repo, otherBranch, 'Bob', 'bob', 2);

  for (const payload of otherPushes) { // tags: accepted, refresh nothing
    const response = await deliver('push', payload);
    assert.ok(response.ok, `push ${payload.ref}: ${response.status} ${await response.text()}`);
  }

  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal((await api('GET', `/api/releases/${id}`)).body.repos.find((r) => r.name === repo).headSha, before.headSha,
    'a tag push refreshed the release');

  for (const payload of branchPushes) {
    const response = await deliver('push', payload);
    assert.ok(response.ok, `push ${payload.ref}: ${response.status} ${await response.text()}`);
  }

  let release;
  for (let i = 0; i < 150; i++) {
    release = (await api('GET', `/api/releases/${id}`)).body;
    if (release.repos.find((r) => r.name === repo)?.headSha === head) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const after = release.repos.find((r) => r.name === repo);
  assert.equal(after.headSha, head, 'the branch push did not refresh the release');
  assert.equal(after.commitCount, 3);
  const history = (await api('GET', `/api/releases/${id}/history`)).body;
  assert.ok(history.some((entry) => entry.actor === 'github-webhook'), JSON.stringify(history));
});
