// The GitHub source's REST calls and the fake GitHub's answers, against GitHub's OpenAPI
// description (@octokit/openapi). The calls and the fields the code reads are listed once, in
// src/Grains/Sources/GitHub/GitHubRestCalls.cs (dumped by tests/OrleansReleases.QueryDump
// rest-calls); `record` dumps the requests the source really makes against the fake, so the list
// cannot miss a call. Where the schema cannot say how GitHub behaves (paging order, 404s), the
// description's text is read and the fake held to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dump, operation, queryParameters, responseSchema, hasField, schemaProblems, startFakeGitHub } from './support.mjs';

const calls = dump('rest-calls');
const compareOp = operation('GET', '/repos/{owner}/{repo}/compare/{basehead}');

test('the source makes exactly these REST calls (GitHubRestCalls)', () => {
  assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), [
    'GET /orgs/{org}/repos', // GitHubSource.ListReposAsync
    'GET /repos/{owner}/{repo}/git/ref/{ref}', // GitHubSource.BranchHeadAsync
    'GET /repos/{owner}/{repo}/compare/{basehead}', // GitHubSource.CompareRepoAsync
    'GET /repos/{owner}/{repo}/pulls', // GitHubSource.OpenPullRequestAsync
    'GET /rate_limit', // GitHubSource.CheckBudgetAsync
  ]);
});

for (const call of calls) {
  test(`${call.method} ${call.path} (${call.usedBy}) exists in GitHub's description with its query parameters`, () => {
    const op = operation(call.method, call.path);
    assert.ok(op, `GitHub's description has no ${call.method} ${call.path}`);
    const known = queryParameters(op);
    for (const name of call.query) assert.ok(known.includes(name), `${call.path} takes no query parameter ${name} (it takes ${known.join(', ')})`);
  });

  test(`every field ${call.usedBy} reads from ${call.path} is in the answer's schema`, () => {
    const schema = responseSchema(operation(call.method, call.path), 200);
    assert.ok(schema, 'no 200 application/json schema');
    for (const field of call.reads) assert.ok(hasField(schema, field), `${field} is not in the schema of ${call.path}`);
  });
}

test('every request the source makes against the fake is one of the listed calls, with listed query parameters only', () => {
  const runs = dump('record');
  const patterns = calls.map((call) => ({
    call,
    regex: new RegExp(`^${call.method} ${call.path.replace(/\{(ref|basehead)\}/g, '.+').replace(/\{[^}]+\}/g, '[^/?]+')}$`),
  }));
  const used = new Set();
  for (const run of runs) {
    assert.ok(run.changed.includes('monolith') && run.changed.includes('forked.repo'), JSON.stringify(run.changed));
    for (const line of run.requests) {
      const [, method, target] = /^(\S+) (\S+) → /.exec(line);
      if (method === 'POST' && target === '/graphql') continue; // graphql.test.mjs
      const url = new URL(target, 'http://fake');
      const match = patterns.find((p) => p.regex.test(`${method} ${url.pathname}`));
      assert.ok(match, `${line}: not a call listed in GitHubRestCalls`);
      used.add(match.call.path);
      for (const name of url.searchParams.keys()) {
        assert.ok(match.call.query.includes(name), `${line}: query parameter ${name} is not listed for ${match.call.path}`);
      }
    }
  }
  assert.deepEqual([...used].sort(), calls.map((c) => c.path).sort(), 'a listed call the source never made');
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
