// A release over 300 repos in the dashboard: the repo table renders only what is on screen, is
// filtered by name and state, and a row is excluded and given a dependency through the search box;
// two people approve from the summary's jump. The repos are made with git fast-import
// (support/manyrepos.mjs). No timings are asserted: bench/browser/detail-page.mjs measures them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startService, repoRoot } from './support/service.mjs';
import { launchBrowser } from './support/browser.mjs';
import { makeManyGitRepos } from './support/manyrepos.mjs';
import { signIn, repoRow } from './support/session.mjs';

const artifacts = path.join(repoRoot, 'tests/e2e/artifacts');
const COUNT = 300;
let service;
let browser;
let generated;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  generated = makeManyGitRepos(COUNT);
  service = await startService({ 'Releases:Sources:LocalGit:Root': generated.repos });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (generated) rmSync(generated.root, { recursive: true, force: true });
});

const signedIn = (user, roles, target) => signIn(browser, service, user, roles, target);

test('a release over 300 repos: filter, exclude, add a dependency, approve', async () => {
  const alice = await signedIn('alice', 'release-dev-lead', '/releases');
  await alice.page.click('[data-test=new-release]');
  await alice.page.click('[data-test=create]');
  await alice.page.waitForURL(/\/releases\/[a-z0-9]+$/, { timeout: 120_000 });
  const id = alice.page.url().split('/').pop();
  const page = alice.page;

  // Only a screenful of rows is in the page; the summary names the approvals at once.
  await repoRow(page, 'svc-0001').waitFor();
  const rendered = await page.locator('[data-test=repo-row]').count();
  assert.ok(rendered > 0 && rendered < 80, `${rendered} of ${COUNT} rows rendered`);
  assert.match(await page.locator('[data-test=summary]').innerText(), /300 of 300 repos included/);
  assert.match(await page.locator('[data-test=repo-shown]').innerText(), /300 repositories/);

  // Filter by name.
  await page.fill('[data-test=repo-filter]', 'svc-015');
  await page.locator('[data-test=repo-shown]', { hasText: '10 of 300 shown' }).waitFor();
  assert.deepEqual(
    await page.locator('[data-test=repo-row] .repo-name').allInnerTexts(),
    Array.from({ length: 10 }, (_, i) => `svc-015${i}`),
  );

  // Exclude one; the Excluded filter finds it.
  await repoRow(page, 'svc-0153').locator('[data-test=exclude]').check();
  await repoRow(page, 'svc-0153').and(page.locator('.excluded')).waitFor();
  await page.locator('[data-test=summary]', { hasText: '299 of 300 repos included' }).waitFor();
  await page.fill('[data-test=repo-filter]', '');
  await page.click('[data-test=repo-state-excluded]');
  await page.locator('[data-test=repo-shown]', { hasText: '1 of 300 shown' }).waitFor();
  assert.deepEqual(await page.locator('[data-test=repo-row] .repo-name').allInnerTexts(), ['svc-0153']);
  await page.click('[data-test=repo-state-all]');

  // Add a dependency through the search box, from the keyboard.
  await page.fill('[data-test=repo-filter]', 'svc-0007');
  const row = repoRow(page, 'svc-0007');
  await row.locator('[data-test=add]').click();
  const search = row.locator('[data-test=filter]');
  await search.fill('svc-029');
  assert.equal(await row.locator('[data-test=option]').count(), 10);
  await search.press('ArrowDown');
  await search.press('Enter');
  await row.locator('[data-test=chip]', { hasText: 'svc-0291' }).waitFor();
  await page.locator('[data-test=jump-order]', { hasText: '2 layers' }).waitFor();
  assert.equal((await page.locator('[data-test=layers] .layer-repos').nth(1).innerText()).trim(), 'svc-0007');
  await page.screenshot({ path: path.join(artifacts, 'big-release-1280.png') });

  // Quinn (QA) sees the changes live, and both approve.
  const quinn = await signedIn('quinn', 'release-qa', `/releases/${id}`);
  await quinn.page.locator('[data-test=summary]', { hasText: '299 of 300 repos included' }).waitFor();
  await page.click('[data-test=jump-approvals]');
  await page.click('[data-test=approve-dev]');
  await quinn.page.locator('[data-test=summary-dev]', { hasText: 'by alice' }).waitFor({ timeout: 10_000 });
  await quinn.page.click('[data-test=jump-approvals]');
  await quinn.page.click('[data-test=approve-qa]');
  await page.locator('[data-test=summary-qa]', { hasText: 'by quinn' }).waitFor({ timeout: 10_000 });
  await page.locator('[data-test=status]', { hasText: 'Approved' }).waitFor({ timeout: 10_000 });
  await quinn.page.fill('[data-test=repo-filter]', 'svc-0153');
  assert.match(await repoRow(quinn.page, 'svc-0153').getAttribute('class'), /excluded/);

  await alice.context.close();
  await quinn.context.close();
});
