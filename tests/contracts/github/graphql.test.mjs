// Every GraphQL query the GitHub source can send (GitHubBatchComparer.Query, dumped by
// tests/OrleansReleases.QueryDump for batches with awkward names) is valid against GitHub's own
// schema (@octokit/graphql-schema), and asks what the code reads: the head repository of pull
// requests (forks), isDisabled and isArchived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, schema } from '@octokit/graphql-schema';
import { parse } from 'graphql';
import { dump } from './support.mjs';

const batches = dump('graphql');

test('the dump covers awkward names: quotes, backslashes, unicode, dots, dashes, leading digits, a full batch', () => {
  const all = batches.map((b) => b.query).join('\n');
  for (const needle of ['\\\\', '\\u0022', '\\u00E9', '\\uD83D', 'my.repo', '-dash-first', '1password-tool', '007', 'r24:']) {
    assert.ok(all.includes(needle), `no dumped query has ${needle}`);
  }
});

for (const { description, query } of batches) {
  test(`GitHub's schema accepts the query for ${description}`, () => {
    const errors = validate(query);
    assert.deepEqual(errors.map((e) => e.message), []);
  });

  test(`the query for ${description} keeps every name a string (one repository field per alias)`, () => {
    const document = parse(query);
    const fields = document.definitions[0].selectionSet.selections;
    assert.ok(fields.every((f) => f.name.value === 'repository' && /^r\d+$/.test(f.alias.value)));
    assert.equal(fields.length, (query.match(/^ {2}r\d+: repository\(/gm) ?? []).length);
  });
}

test('pull requests are asked with their head repository, so a fork\'s is told apart', () => {
  for (const { query } of batches) {
    assert.match(query, /pullRequests\([^\n]*\{[^\n]*isCrossRepository/);
    assert.match(query, /headRepositoryOwner \{ login \}/);
    assert.match(query, /isDisabled/);
  }
  // And the schema says what those fields mean.
  const pullRequest = schema.json.__schema.types.find((t) => t.name === 'PullRequest');
  assert.ok(pullRequest.fields.some((f) => f.name === 'isCrossRepository'));
  const repository = schema.json.__schema.types.find((t) => t.name === 'Repository');
  assert.ok(repository.fields.some((f) => f.name === 'isDisabled'));
});

test('each head is asked with its CI checks (statuses and check runs) and each comparison with its base, so no REST read follows per repo', () => {
  for (const { query } of batches) {
    assert.match(query, /baseTarget \{ oid \}/);
    assert.match(query, /statusCheckRollup \{ contexts\(first: \d+\) \{ totalCount nodes \{ __typename/);
    assert.match(query, /\.\.\. on StatusContext \{ context state targetUrl \}/);
    assert.match(query, /\.\.\. on CheckRun \{ name status conclusion detailsUrl \}/);
  }
  const comparison = schema.json.__schema.types.find((t) => t.name === 'Comparison');
  assert.ok(comparison.fields.some((f) => f.name === 'baseTarget'));
  const rollupContext = schema.json.__schema.types.find((t) => t.name === 'StatusCheckRollupContext');
  assert.deepEqual(rollupContext.possibleTypes.map((t) => t.name).sort(), ['CheckRun', 'StatusContext']);
});
