// Deploying in headless Chromium against the real service: a pipeline's reports show live on an
// open release page in another browser, and a freeze shows as a banner on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startService, makeGitRepos, repoRoot } from './support/service.mjs';
import { launchBrowser } from './support/browser.mjs';
import { signIn, callApi } from './support/session.mjs';

const artifacts = path.join(repoRoot, 'tests/e2e/artifacts');
let service;
let browser;
let repos;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  repos = makeGitRepos(['db-service', 'api-service']);
  service = await startService({ 'Releases:Sources:LocalGit:Root': repos });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (repos) rmSync(repos, { recursive: true, force: true });
});

const signedIn = (user, roles, target) => signIn(browser, service, user, roles, target);
const api = (who, method, url, data, status) => callApi(service, who, method, url, data, status);

async function approvedRelease(dana, quinn) {
  const release = await api(dana, 'POST', '/api/releases', { sourceBranch: 'uat', destBranch: 'master' }, 201);
  await api(dana, 'PATCH', `/api/releases/${release.id}/repos/api-service`, { dependsOn: ['db-service'] });
  await api(dana, 'POST', `/api/releases/${release.id}/approve/dev`);
  await api(quinn, 'POST', `/api/releases/${release.id}/approve/qa`);
  return release.id;
}

test('a pipeline\'s reports show live, layer by layer, on a release page open in another browser', async () => {
  const dana = await signedIn('dana', 'release-dev-lead', '/releases');
  const quinn = await signedIn('quinn', 'release-qa', '/releases');
  const ci = await signedIn('ci', 'release-deployer', '/releases');
  const id = await approvedRelease(dana, quinn);
  const plan = await api(ci, 'GET', `/api/releases/${id}/plan`);
  const sha = Object.fromEntries(plan.layers.flat().map((step) => [step.repo, step.sha]));

  const watcher = await signedIn('wendy', '', `/releases/${id}`);
  const step = (name) => watcher.page.locator(`[data-test=plan-repo-${name}]`);
  await step('db-service').and(watcher.page.locator('[data-state=waiting]')).waitFor();
  let reloads = 0;
  watcher.page.on('framenavigated', (frame) => { if (frame === watcher.page.mainFrame()) reloads++; });

  await api(ci, 'POST', `/api/releases/${id}/repos/db-service/deployment`,
    { sha: sha['db-service'], state: 'in_progress', url: 'https://ci.example.com/runs/41' });
  await watcher.page.locator('[data-test=plan-repo-db-service][data-state=in_progress]').waitFor({ timeout: 10_000 });
  assert.equal(await step('db-service').locator('[data-test=step-link]').getAttribute('href'), 'https://ci.example.com/runs/41');
  await watcher.page.locator('.detail-head .status.deploying, .status.deploying').first().waitFor({ timeout: 10_000 });

  // Layer 2 may not start yet.
  await api(ci, 'POST', `/api/releases/${id}/repos/api-service/deployment`, { sha: sha['api-service'], state: 'in_progress' }, 409);

  await api(ci, 'POST', `/api/releases/${id}/repos/db-service/deployment`, { sha: sha['db-service'], state: 'success' });
  await watcher.page.locator('[data-test=plan-repo-db-service][data-state=success]').waitFor({ timeout: 10_000 });
  await api(ci, 'POST', `/api/releases/${id}/repos/api-service/deployment`, { sha: sha['api-service'], state: 'failure' });
  await watcher.page.locator('[data-test=plan-repo-api-service][data-state=failure]').waitFor({ timeout: 10_000 });
  await api(ci, 'POST', `/api/releases/${id}/repos/api-service/deployment`, { sha: sha['api-service'], state: 'success' });
  await watcher.page.locator('[data-test=plan-repo-api-service][data-state=success]').waitFor({ timeout: 10_000 });
  await watcher.page.locator('[data-test=plan-progress]', { hasText: '2 of 2 repos deployed' }).waitFor({ timeout: 10_000 });
  await watcher.page.locator('.status.deployed').first().waitFor({ timeout: 10_000 });
  assert.equal(reloads, 0, 'the page was not reloaded');
  await watcher.page.screenshot({ path: path.join(artifacts, 'deploy-progress-1280.png'), fullPage: true });

  for (const who of [dana, quinn, ci, watcher]) await who.context.close();
});

test('a freeze shows as a banner on every page, at once where a page is open, and leaves when lifted', async () => {
  const ada = await signedIn('ada', 'release-admin', '/releases');
  const viewer = await signedIn('vic', '', '/releases');
  await viewer.page.locator('h1').first().waitFor();
  assert.equal(await viewer.page.locator('[data-test=freeze-banner]').count(), 0);

  const until = new Date(Date.now() + 3 * 3600_000).toISOString();
  await api(ada, 'PUT', '/api/freeze', { reason: 'incident 42: payments down', until });
  await viewer.page.locator('[data-test=freeze-banner]', { hasText: 'incident 42: payments down' }).waitFor({ timeout: 10_000 });
  assert.match(await viewer.page.locator('[data-test=freeze-until]').innerText(), /until/);

  // Another page of the dashboard shows it too.
  const other = await viewer.context.newPage();
  await other.goto(`${service.baseUrl}/releases`);
  await other.locator('[data-test=freeze-banner]', { hasText: 'incident 42' }).waitFor({ timeout: 10_000 });
  await viewer.page.screenshot({ path: path.join(artifacts, 'freeze-banner-1280.png') });

  await api(ada, 'DELETE', '/api/freeze');
  await viewer.page.locator('[data-test=freeze-banner]').waitFor({ state: 'detached', timeout: 10_000 });
  await ada.context.close();
  await viewer.context.close();
});
