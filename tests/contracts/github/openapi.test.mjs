// Every REST call the service makes to GitHub and the fake GitHub's answers, against GitHub's
// OpenAPI description (@octokit/openapi). The calls, the query parameters, the fields the code reads
// and the body fields it sends are listed once, in src/Grains/Sources/GitHub/GitHubRestCalls.cs
// (dumped by tests/OrleansReleases.QueryDump rest-calls): the source's comparisons, the "what ships"
// readers (commit pages, a branch, the combined status, the check runs) and the commit-status
// poster. `record` dumps the requests (and request bodies) each of them really makes against the
// fake, so the list cannot miss a call. Where the schema cannot say how GitHub behaves (paging
// order, 404s), the description's text is read and the fake held to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  dump, operation, queryParameters, requestBodySchema, responseSchema, successStatus, hasField, schemaProblems, deref, startFakeGitHub,
} from './support.mjs';

const calls = dump('rest-calls');
const compareOp = operation('GET', '/repos/{owner}/{repo}/compare/{basehead}');
const callerOf = (call) => call.usedBy.split('.')[0];

test('the service makes exactly these REST calls (GitHubRestCalls)', () => {
  assert.deepEqual(calls.map((c) => `${c.method} ${c.path} ${c.usedBy}`), [
    'GET /orgs/{org}/repos GitHubSource.ListReposAsync',
    'GET /repos/{owner}/{repo}/git/ref/{ref} GitHubSource.BranchHeadAsync',
    'GET /repos/{owner}/{repo}/compare/{basehead} GitHubSource.CompareRepoAsync',
    'GET /repos/{owner}/{repo}/pulls GitHubSource.OpenPullRequestAsync',
    'GET /rate_limit GitHubSource.CheckBudgetAsync',
    'GET /repos/{owner}/{repo}/compare/{basehead} GitHubCommitReader.ListCommitsAsync',
    'GET /repos/{owner}/{repo}/branches/{branch} GitHubCommitReader.ResolveBranchAsync',
    'GET /repos/{owner}/{repo}/commits/{ref}/status GitHubCommitReader.ReadChecksAsync',
    'GET /repos/{owner}/{repo}/commits/{ref}/check-runs GitHubCommitReader.ReadChecksAsync',
    'POST /repos/{owner}/{repo}/statuses/{sha} GitHubStatusPoster.PostAsync',
  ]);
});

for (const call of calls) {
  test(`${call.method} ${call.path} (${call.usedBy}) exists in GitHub's description with its query parameters`, () => {
    const op = operation(call.method, call.path);
    assert.ok(op, `GitHub's description has no ${call.method} ${call.path}`);
    const known = queryParameters(op);
    for (const name of call.query) assert.ok(known.includes(name), `${call.path} takes no query parameter ${name} (it takes ${known.join(', ')})`);
  });

  test(`every field ${call.usedBy} reads from ${call.method} ${call.path} is in the answer's schema`, () => {
    const op = operation(call.method, call.path);
    const schema = responseSchema(op, successStatus(op));
    assert.ok(schema, `no ${successStatus(op)} application/json schema`);
    for (const field of call.reads) assert.ok(hasField(schema, field), `${field} is not in the schema of ${call.path}`);
  });

  test(`the body fields ${call.usedBy} sends to ${call.method} ${call.path} are the operation's, with every required one`, () => {
    const schema = requestBodySchema(operation(call.method, call.path));
    if (call.method === 'GET') {
      assert.deepEqual(call.body, [], 'a GET sends no body');
      return;
    }
    assert.ok(schema, `${call.method} ${call.path} takes no JSON body`);
    const properties = Object.keys(deref(schema).properties ?? {});
    for (const field of call.body) assert.ok(properties.includes(field), `${call.path} takes no body field ${field} (it takes ${properties.join(', ')})`);
    for (const field of deref(schema).required ?? []) assert.ok(call.body.includes(field), `${call.path} requires ${field}, which is not listed`);
  });
}

test('the commit status body: state is one of GitHub\'s four, and nothing but state is required', () => {
  const schema = deref(requestBodySchema(operation('POST', '/repos/{owner}/{repo}/statuses/{sha}')));
  assert.deepEqual(deref(schema.properties.state).enum, ['error', 'failure', 'pending', 'success']);
  assert.deepEqual(schema.required, ['state']);
});

const runs = dump('record');

test('every request the service makes against the fake is one of the calls listed for its caller, with listed query parameters only', () => {
  const used = new Set();
  assert.deepEqual([...new Set(runs.map((r) => r.caller))].sort(), [...new Set(calls.map(callerOf))].sort(), 'a caller was not recorded');
  for (const run of runs) {
    if (run.caller === 'GitHubSource') {
      assert.ok(run.changed.includes('monolith') && run.changed.includes('forked.repo'), JSON.stringify(run.changed));
    }
    const patterns = calls.filter((call) => callerOf(call) === run.caller).map((call) => ({
      call,
      regex: new RegExp(`^${call.method} ${call.path.replace(/\{(ref|basehead|branch)\}/g, '.+').replace(/\{[^}]+\}/g, '[^/?]+')}$`),
    }));
    assert.ok(run.requests.length > 0, `${run.caller} made no request`);
    for (const line of run.requests) {
      const [, method, target] = /^(\S+) (\S+) → /.exec(line);
      if (method === 'POST' && target === '/graphql') continue; // graphql.test.mjs
      const url = new URL(target, 'http://fake');
      const match = patterns.find((p) => p.regex.test(`${method} ${url.pathname}`));
      assert.ok(match, `${line}: not a call listed in GitHubRestCalls for ${run.caller}`);
      used.add(`${match.call.method} ${match.call.path} ${match.call.usedBy}`);
      for (const name of url.searchParams.keys()) {
        assert.ok(match.call.query.includes(name), `${line}: query parameter ${name} is not listed for ${match.call.path}`);
      }
    }
  }
  assert.deepEqual([...used].sort(), calls.map((c) => `${c.method} ${c.path} ${c.usedBy}`).sort(), 'a listed call was never made');
});

test('every request body the service sends is valid for its operation: listed fields only, required ones present, enums kept', () => {
  const states = new Set();
  let bodies = 0;
  for (const run of runs) {
    for (const { method, target, body } of run.bodies) {
      const pathname = new URL(target, 'http://fake').pathname;
      const call = calls.find((c) => c.method === method && callerOf(c) === run.caller
        && new RegExp(`^${c.path.replace(/\{[^}]+\}/g, '[^/?]+')}$`).test(pathname));
      assert.ok(call, `${method} ${target}: a body sent to no listed call`);
      const sent = JSON.parse(body);
      for (const field of Object.keys(sent)) assert.ok(call.body.includes(field), `${method} ${target}: body field ${field} is not listed for ${call.path}`);
      assert.deepEqual(schemaProblems(requestBodySchema(operation(method, call.path)), sent), [], `${method} ${target}: ${body}`);
      states.add(sent.state);
      bodies++;
    }
  }
  assert.ok(bodies > 0, 'no request body was recorded');
  assert.deepEqual([...states].sort(), ['error', 'failure', 'pending', 'success'], 'the poster did not send every state');
});

test('the readers read the newest commits, the branch head, and the CI checks without this service\'s own statuses', () => {
  for (const run of runs.filter((r) => r.caller === 'GitHubCommitReader')) {
    const { result } = run;
    assert.deepEqual(result.byBranch, { total: 620, listed: 250, newest: result.head });
    assert.deepEqual(result.bySha, { total: 620, listed: 30, newest: result.head }, 'a short list is the newest commits, not page 1\'s');
    assert.equal(result.unrelated, null);
    assert.equal(result.branchHead, result.head, `branch ${run.source}`);
    assert.equal(result.missingBranch, null);
    // CI passes (ci/build success, check run tests success); the poster's own release-gate/* failure is no check.
    assert.deepEqual(result.checks, { state: 'Success', failing: [] });
    assert.deepEqual(result.unknownCommit, { state: 'None', failing: [] });
  }
});

test('GitHub\'s description of compare says what the source and the fake rely on', () => {
  const text = compareOp.description.replace(/\s+/g, ' ');
  assert.match(text, /without any paging parameter \(`per_page` or `page`\), the returned list is limited to 250 commits, and the last commit in the list is the most recent of the entire comparison/);
  assert.match(text, /use a query parameter \(`per_page` or `page`\) to paginate the results/);
  assert.match(text, /The results are returned in chronological order, but the last commit in the returned list may not be the most recent one in the entire set if there are more pages of results/);
  assert.deepEqual(queryParameters(compareOp).sort(), ['page', 'per_page']);
  // Unrelated histories are not a 422 of this operation: GitHub answers them 404 ("No common ancestor").
  assert.ok('404' in compareOp.responses);
  assert.ok(!('422' in compareOp.responses));
});

test('a repo of the organisation says whether it is archived or disabled, as booleans', () => {
  const repo = responseSchema(operation('GET', '/orgs/{org}/repos'), 200).items;
  assert.ok(hasField(repo, 'archived') && hasField(repo, 'disabled'));
});

// The fake, standalone, answering as GitHub's description says.
let fake;
let heads;
before(async () => {
  fake = await startFakeGitHub('acme', 'ghp_contract');
  const big = await fake.seedRepo({
    name: 'monolith',
    branches: [{ name: 'uat', from: 'master', commits: [{ author: 'Alice', login: 'alice', count: 120 }, { author: 'Bob', count: 170 }, { author: 'Carol', login: 'carol', count: 10 }] }],
    pulls: [{ head: 'uat', base: 'master' }, { head: 'uat', base: 'master', forkOwner: 'mallory' }],
  });
  heads = big.heads;
  await fake.seedRepo({ name: 'rewritten', branches: [{ name: 'uat', orphan: true, commits: [{ author: 'Erin', login: 'erin' }] }] });
  await fake.seedRepo({ name: 'gone', disabled: true, branches: [{ name: 'uat', from: 'master' }] });
});
after(async () => fake?.stop());

async function valid(pathAndQuery, method, template, status = 200) {
  const answer = await fake.get(pathAndQuery);
  assert.equal(answer.status, status, `${pathAndQuery}: ${JSON.stringify(answer.body)}`);
  const schema = responseSchema(operation(method, template), status);
  assert.ok(schema, `no schema for ${status} of ${template}`);
  assert.deepEqual(schemaProblems(schema, answer.body), [], `${pathAndQuery} does not match GitHub's schema`);
  return answer;
}

test('the fake\'s unpaged compare lists at most 250 commits, the last being the head (the most recent)', async () => {
  const { body } = await valid('/repos/acme/monolith/compare/master...uat', 'GET', '/repos/{owner}/{repo}/compare/{basehead}');
  assert.equal(body.total_commits, 300);
  assert.equal(body.ahead_by, 300);
  assert.equal(body.commits.length, 250);
  assert.equal(body.commits.at(-1).sha, heads.uat);
});

test('the fake\'s compare pages are chronological and together list every commit once', async () => {
  const pages = [];
  for (let page = 1; page <= 3; page++) {
    const { body, headers } = await valid(`/repos/acme/monolith/compare/master...uat?per_page=100&page=${page}`, 'GET', '/repos/{owner}/{repo}/compare/{basehead}');
    assert.equal(body.total_commits, 300);
    pages.push(body.commits);
    if (page < 3) assert.match(headers.get('link'), /rel="next"/);
  }
  const all = pages.flat();
  assert.equal(new Set(all.map((c) => c.sha)).size, 300);
  assert.equal(all.at(-1).sha, heads.uat);
  assert.notEqual(pages[0].at(-1).sha, heads.uat); // the last of a page is not the most recent
  const dates = all.map((c) => Date.parse(c.commit.author.date));
  assert.deepEqual(dates, [...dates].sort((a, b) => a - b));
  // The unpaged list is the tail of the same order.
  const { body } = await fake.get('/repos/acme/monolith/compare/master...uat');
  assert.deepEqual(body.commits.map((c) => c.sha), all.slice(-250).map((c) => c.sha));
});

test('the fake compares up to a commit sha as well as a branch', async () => {
  const { body } = await valid(`/repos/acme/monolith/compare/master...${heads.uat}?per_page=100&page=3`, 'GET', '/repos/{owner}/{repo}/compare/{basehead}');
  assert.equal(body.commits.at(-1).sha, heads.uat);
});

test('the fake answers unrelated histories 404 "No common ancestor", and a missing branch 404', async () => {
  const { body } = await valid('/repos/acme/rewritten/compare/master...uat', 'GET', '/repos/{owner}/{repo}/compare/{basehead}', 404);
  assert.match(body.message, /^No common ancestor between master and uat\.$/);
  const missing = await valid('/repos/acme/monolith/compare/master...nope', 'GET', '/repos/{owner}/{repo}/compare/{basehead}', 404);
  assert.equal(missing.body.message, 'Not Found');
});

test('the fake\'s repo list, branch ref and pull requests match GitHub\'s schemas', async () => {
  const { body: repos } = await valid('/orgs/acme/repos?type=all&per_page=100&page=1', 'GET', '/orgs/{org}/repos');
  assert.deepEqual(repos.map((r) => [r.name, r.disabled]), [['monolith', false], ['rewritten', false], ['gone', true]]);
  const { body: ref } = await valid('/repos/acme/monolith/git/ref/heads/uat', 'GET', '/repos/{owner}/{repo}/git/ref/{ref}');
  assert.equal(ref.object.sha, heads.uat);
  await valid('/repos/acme/monolith/git/ref/heads/nope', 'GET', '/repos/{owner}/{repo}/git/ref/{ref}', 404);
  const { body: pulls } = await valid('/repos/acme/monolith/pulls?state=open&head=acme:uat&base=master&per_page=1', 'GET', '/repos/{owner}/{repo}/pulls');
  assert.deepEqual(pulls.map((p) => p.head.label), ['acme:uat']);
  const { body: forks } = await valid('/repos/acme/monolith/pulls?state=open&head=mallory:uat&base=master', 'GET', '/repos/{owner}/{repo}/pulls');
  assert.deepEqual(forks.map((p) => [p.head.label, p.head.repo.full_name]), [['mallory:uat', 'mallory/monolith']]);
});

test('the fake refuses a disabled repo with 403, as GitHub does', async () => {
  const answer = await fake.get('/repos/acme/gone/compare/master...uat');
  assert.equal(answer.status, 403);
  assert.deepEqual(schemaProblems(responseSchema(operation('GET', '/repos/{owner}/{repo}/git/ref/{ref}'), 404) ?? {}, answer.body), []);
});

// The fake's commit statuses, combined status, check runs and branches: the "what ships" readers and
// the poster talk to these, so their answers are held to GitHub's schemas too.
const statusPath = '/repos/{owner}/{repo}/statuses/{sha}';

test('the fake creates a commit status (201) as GitHub\'s schema says, for every state', async () => {
  for (const state of ['error', 'failure', 'pending', 'success']) {
    const answer = await fake.post(`/repos/acme/monolith/statuses/${heads.uat}`,
      { state, target_url: 'https://releases.example.com/releases/1', description: `Release ${state}`, context: 'release-gate/uat' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.deepEqual(schemaProblems(responseSchema(operation('POST', statusPath), 201), answer.body), []);
    assert.equal(answer.body.state, state);
  }
  // Only state is required: target_url and description may be null, context defaults to "default".
  const bare = await fake.post(`/repos/acme/monolith/statuses/${heads.uat}`, { state: 'success' });
  assert.equal(bare.status, 201, JSON.stringify(bare.body));
  assert.deepEqual(schemaProblems(responseSchema(operation('POST', statusPath), 201), bare.body), []);
  assert.equal(bare.body.context, deref(requestBodySchema(operation('POST', statusPath))).properties.context.default);
});

test('the fake refuses a commit status whose state is not error|failure|pending|success, or that has none (422)', async () => {
  for (const body of [{ state: 'passed', context: 'ci' }, { context: 'ci' }]) {
    const answer = await fake.post(`/repos/acme/monolith/statuses/${heads.uat}`, body);
    assert.equal(answer.status, 422, JSON.stringify(body));
    assert.equal(answer.body.message, 'Validation Failed');
  }
});

test('the fake\'s combined status matches GitHub\'s schema, with the latest status per context', async () => {
  await fake.setStatus('monolith', heads.master, 'ci/build', 'pending');
  await fake.setStatus('monolith', heads.master, 'ci/build', 'success');
  await fake.setStatus('monolith', heads.master, 'ci/lint', 'success');
  const { body } = await valid(`/repos/acme/monolith/commits/${heads.master}/status?per_page=100`, 'GET', '/repos/{owner}/{repo}/commits/{ref}/status');
  assert.equal(body.state, 'success');
  assert.equal(body.sha, heads.master);
  assert.deepEqual(body.statuses.map((s) => [s.context, s.state]).sort(), [['ci/build', 'success'], ['ci/lint', 'success']]);
  const none = await valid('/repos/acme/rewritten/commits/uat/status', 'GET', '/repos/{owner}/{repo}/commits/{ref}/status');
  assert.deepEqual([none.body.state, none.body.total_count], ['pending', 0]);
  await valid(`/repos/acme/monolith/commits/${'f'.repeat(40)}/status`, 'GET', '/repos/{owner}/{repo}/commits/{ref}/status', 404);
});

test('the fake\'s check runs match GitHub\'s schema, queued, running and completed', async () => {
  await fake.setCheckRun('monolith', heads.master, 'build', 'completed', 'success');
  await fake.setCheckRun('monolith', heads.master, 'tests', 'completed', 'failure');
  await fake.setCheckRun('monolith', heads.master, 'deploy-preview', 'in_progress');
  await fake.setCheckRun('monolith', heads.master, 'e2e', 'queued');
  const { body } = await valid(`/repos/acme/monolith/commits/${heads.master}/check-runs?per_page=100`, 'GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs');
  assert.equal(body.total_count, 4);
  assert.deepEqual(body.check_runs.map((r) => [r.name, r.status, r.conclusion]),
    [['build', 'completed', 'success'], ['tests', 'completed', 'failure'], ['deploy-preview', 'in_progress', null], ['e2e', 'queued', null]]);
  const none = await valid('/repos/acme/monolith/commits/uat/check-runs', 'GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs');
  assert.deepEqual(none.body, { total_count: 0, check_runs: [] });
});

test('the fake\'s branch matches GitHub\'s schema (branch-with-protection: fake fixed to answer the required protection and protection_url), also for a name with a slash', async () => {
  const { body } = await valid('/repos/acme/monolith/branches/uat', 'GET', '/repos/{owner}/{repo}/branches/{branch}');
  assert.deepEqual([body.name, body.commit.sha], ['uat', heads.uat]);
  await fake.seedRepo({ name: 'slashed', branches: [{ name: 'release/2026.1', from: 'master', commits: [{ author: 'Dan' }] }] });
  const slashed = await valid('/repos/acme/slashed/branches/release/2026.1', 'GET', '/repos/{owner}/{repo}/branches/{branch}');
  assert.equal(slashed.body.name, 'release/2026.1');
  await valid('/repos/acme/monolith/branches/nope', 'GET', '/repos/{owner}/{repo}/branches/{branch}', 404);
});
