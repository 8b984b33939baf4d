// The Insights page in headless Chromium against the real service: a release deployed through its
// pipeline reports (one failure, then a retry) shows in the figures and the Chart.js charts, on a
// desktop and on a phone; the release page's "Download evidence" gives the evidence document.
// Screenshots are kept in tests/e2e/artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startService, makeGitRepos, repoRoot } from './support/service.mjs';
import { launchBrowser } from './support/browser.mjs';
import { signIn, callApi, desktop } from './support/session.mjs';

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

const signedIn = (user, roles, target, viewport = desktop) => signIn(browser, service, user, roles, target, { viewport, acceptDownloads: true });
const api = (who, method, url, data, status) => callApi(service, who, method, url, data, status);

async function deployedRelease() {
  const dana = await signedIn('dana', 'release-dev-lead', '/releases');
  const quinn = await signedIn('quinn', 'release-qa', '/releases');
  const release = await api(dana, 'POST', '/api/releases', { sourceBranch: 'uat', destBranch: 'master' }, 201);
  await api(dana, 'PATCH', `/api/releases/${release.id}/repos/api-service`, { dependsOn: ['db-service'] });
  await api(dana, 'POST', `/api/releases/${release.id}/approve/dev`);
  await api(quinn, 'POST', `/api/releases/${release.id}/approve/qa`);
  const plan = await api(dana, 'GET', `/api/releases/${release.id}/plan`);
  const sha = Object.fromEntries(plan.layers.flat().map((step) => [step.repo, step.sha]));
  const report = (repo, state) => api(dana, 'POST', `/api/releases/${release.id}/repos/${repo}/deployment`, { sha: sha[repo], state });
  await report('db-service', 'in_progress');
  await report('db-service', 'failure');
  await report('db-service', 'success');
  await report('api-service', 'success');
  await Promise.all([dana.context.close(), quinn.context.close()]);
  return release.id;
}

/** Waits until every chart's canvas has been drawn on (Chart.js draws once it has a size). */
async function chartsDrawn(page, count) {
  await page.waitForFunction(
    (n) => {
      const canvases = [...document.querySelectorAll('[data-test=chart] canvas')];
      return canvases.length === n && canvases.every((c) => c.width > 0 && c.height > 0);
    },
    count,
    { timeout: 15_000 },
  );
}

test('the Insights page charts a deployed release, on a desktop and on a phone', async () => {
  const id = await deployedRelease();
  const errors = [];
  const viewer = await signedIn('vic', '', '/releases');
  viewer.page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  viewer.page.on('pageerror', (error) => errors.push(String(error)));

  await viewer.page.click('[data-test=nav-insights]');
  await viewer.page.waitForURL(/\/insights/);
  await viewer.page.locator('[data-test=tile-frequency]', { hasText: '1 release deployed' }).waitFor();
  assert.match(await viewer.page.locator('[data-test=tile-failure]').innerText(), /100%[\s\S]*1 of 1 deployed releases/);
  assert.match(await viewer.page.locator('[data-test=tile-restore]').innerText(), /1 restored/);
  assert.match(await viewer.page.locator('[data-test=tile-lead]').innerText(), /commits/);
  assert.match(await viewer.page.locator('[data-test=insights-range-note]').innerText(), /Releases into master/);
  await chartsDrawn(viewer.page, 3);
  await viewer.page.screenshot({ path: path.join(artifacts, 'insights-desktop.png'), fullPage: true });

  // The filters: another branch has nothing; the address keeps the choice, and a reload shows it again.
  await viewer.page.fill('[data-test=insights-dest]', 'production');
  await viewer.page.click('[data-test=insights-apply]');
  await viewer.page.locator('[data-test=tile-frequency]', { hasText: '0 releases deployed' }).waitFor();
  assert.match(viewer.page.url(), /dest=production/);
  await viewer.page.reload();
  await viewer.page.locator('[data-test=tile-frequency]', { hasText: '0 releases deployed' }).waitFor();
  assert.equal(await viewer.page.inputValue('[data-test=insights-dest]'), 'production');
  assert.deepEqual(errors, []);

  // On a phone: one column, nothing wider than the screen.
  const phone = await signedIn('vic', '', '/insights?dest=master', { width: 390, height: 844 });
  await phone.page.locator('[data-test=tile-frequency]', { hasText: '1 release deployed' }).waitFor();
  await chartsDrawn(phone.page, 3);
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await phone.page.screenshot({ path: path.join(artifacts, 'insights-phone.png'), fullPage: true });

  // The release page's evidence download.
  await viewer.page.goto(`${service.baseUrl}/releases/${id}`);
  const [download] = await Promise.all([viewer.page.waitForEvent('download'), viewer.page.click('[data-test=evidence]')]);
  assert.equal(download.suggestedFilename(), `release-${id}-evidence.json`);
  const document = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(document.content.release.id, id);
  assert.equal(document.digest.algorithm, 'SHA-256');
  assert.match(document.digest.value, /^[0-9a-f]{64}$/);
  await Promise.all([viewer.context.close(), phone.context.close()]);
});
