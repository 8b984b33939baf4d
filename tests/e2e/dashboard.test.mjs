// The dashboard in headless Chromium against the real service: two people in two browser
// contexts; one's change shows on the other's open pages without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startService, makeGitRepos, repoRoot } from './support/service.mjs';
import { signIn, repoRow, desktop } from './support/session.mjs';
import { launchBrowser, cspViolations } from './support/browser.mjs';

const artifacts = path.join(repoRoot, 'tests/e2e/artifacts');
let service;
let browser;
let repos;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  repos = makeGitRepos(['auth-service', 'api-gateway', 'user-service']);
  service = await startService({ 'Releases:Sources:LocalGit:Root': repos });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (repos) rmSync(repos, { recursive: true, force: true });
});

const signedIn = (user, roles, target, viewport = desktop) => signIn(browser, service, user, roles, target, { viewport });

test('one person approves and the other person\'s open pages show it without a reload', async () => {
  const alice = await signedIn('alice', 'release-dev-lead', '/releases');
  await alice.page.click('[data-test=new-release]');
  await alice.page.click('[data-test=create]');
  await alice.page.waitForURL(/\/releases\/[a-z0-9]+$/);
  const id = alice.page.url().split('/').pop();

  const quinnList = await signedIn('quinn', 'release-qa', '/releases');
  const row = quinnList.page.locator('[data-test=release-row]', { hasText: 'uat' }).first();
  await row.waitFor();
  const quinnDetail = await quinnList.context.newPage();
  await quinnDetail.goto(`${service.baseUrl}/releases/${id}`);
  await quinnDetail.locator('[data-test=approval-dev]', { hasText: 'Not approved' }).waitFor();
  let reloads = 0;
  quinnDetail.on('framenavigated', (frame) => { if (frame === quinnDetail.mainFrame()) reloads++; });

  await alice.page.click('[data-test=approve-dev]');

  await quinnDetail.locator('[data-test=approval-dev]', { hasText: 'alice' }).waitFor({ timeout: 10_000 });
  const devMark = quinnList.page.locator('[data-test=release-row]', { hasText: id }).locator('.col-approvals .box').first();
  await devMark.filter({ hasText: '☑' }).waitFor({ timeout: 10_000 });
  assert.equal(reloads, 0, 'the page was not reloaded');
  assert.equal(await quinnDetail.locator('[data-test=withdraw-dev]').isDisabled(), true, 'QA may not withdraw the Dev approval');
  assert.equal(await quinnDetail.locator('[data-test=approve-qa]').isEnabled(), true, 'QA may give the QA approval');

  await quinnList.page.screenshot({ path: path.join(artifacts, 'list-1280.png'), fullPage: true });
  await quinnDetail.screenshot({ path: path.join(artifacts, 'detail-1280.png'), fullPage: true });
  await alice.context.close();
  await quinnList.context.close();
});

test('a dependency cycle shows its error, and an excluded repo leaves the deploy order', async () => {
  const alice = await signedIn('alice', 'release-dev-lead', '/releases');
  await alice.page.click('[data-test=new-release]');
  await alice.page.click('[data-test=create]');
  await alice.page.waitForURL(/\/releases\/[a-z0-9]+$/);
  const id = alice.page.url().split('/').pop();
  const bob = await signedIn('bob', '', `/releases/${id}`);
  await bob.page.locator('[data-test=layers]').waitFor();

  const dependOn = async (repo, on) => {
    await repoRow(alice.page, repo).locator('[data-test=add]').click();
    await alice.page.locator('[data-test=option]', { hasText: on }).click();
    await repoRow(alice.page, repo).locator('[data-test=chip]', { hasText: on }).waitFor();
  };
  await dependOn('api-gateway', 'auth-service');
  await dependOn('auth-service', 'api-gateway');

  const cycle = bob.page.locator('[data-test=cycle]'); // on the other person's page, live
  await cycle.waitFor({ timeout: 10_000 });
  assert.match(await cycle.innerText(), /api-gateway/);
  assert.match(await cycle.innerText(), /auth-service/);
  await bob.page.screenshot({ path: path.join(artifacts, 'cycle-1280.png'), fullPage: true });

  await repoRow(alice.page, 'auth-service').locator('[data-test=exclude]').check();

  await bob.page.locator('[data-test=cycle]').waitFor({ state: 'detached', timeout: 10_000 });
  const layers = bob.page.locator('[data-test=layers]');
  await layers.waitFor();
  assert.doesNotMatch(await layers.innerText(), /auth-service/);
  assert.match(await layers.innerText(), /api-gateway/);
  assert.match(await repoRow(bob.page, 'auth-service').getAttribute('class'), /excluded/);

  await alice.context.close();
  await bob.context.close();
});

test('the pages survive a reload, read well on a phone, and send signed-out visitors to sign in', async () => {
  const phone = await signedIn('alice', 'release-dev-lead', '/releases', { width: 390, height: 844 });
  await phone.page.locator('[data-test=release-row]').first().waitFor();
  await phone.page.locator('[data-test=release-row]').first().click();
  await phone.page.waitForURL(/\/releases\/[a-z0-9]+$/);
  await phone.page.reload();
  await phone.page.locator('[data-test=approvals]').waitFor();
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the detail page scrolls sideways on a phone by ${overflow}px`);
  await phone.page.screenshot({ path: path.join(artifacts, 'detail-390.png'), fullPage: true });
  await phone.context.close();

  const response = await fetch(`${service.baseUrl}/releases`, { redirect: 'manual' });
  assert.equal(response.status, 302);
  assert.match(response.headers.get('location'), /\/auth\/login/);
});

test('the dashboard and the sign-in page run under a Content-Security-Policy that refuses inline script', async () => {
  const { context, page } = await signedIn('carol', '', '/releases');
  const response = await page.goto(`${service.baseUrl}/releases`);
  const headers = response.headers();
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.doesNotMatch(headers['content-security-policy'], /script-src[^;]*unsafe-inline/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'same-origin');
  await page.waitForSelector('h1');

  // The sign-in page's inline style is allowed by its hash: no violation.
  const login = await context.newPage();
  await login.goto(`${service.baseUrl}/auth/login`);
  assert.equal(await login.evaluate(() => getComputedStyle(document.body).maxWidth), '448px');

  // The watch works: an injected inline script is refused, and reported.
  const before = cspViolations.length;
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
  });
  for (let i = 0; i < 50 && cspViolations.length === before; i++) await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.equal(cspViolations.length, before + 1, cspViolations.join('\n'));
  cspViolations.splice(before); // the one this test caused on purpose
  assert.deepEqual(cspViolations, []);
  await context.close();
});
