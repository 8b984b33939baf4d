// What ships, in Chromium over local git: a repo row opens its commit list (loaded on demand), and
// "Draft from commits" fills the notes editor without saving. (A red check blocking the approve
// button needs GitHub checks: the Vitest suite and the .NET tests over the fake GitHub cover it.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startService, makeGitRepos } from './support/service.mjs';
import { launchBrowser } from './support/browser.mjs';

let service;
let browser;
let repos;

before(async () => {
  repos = makeGitRepos(['auth-service', 'api-gateway']);
  service = await startService({ 'Releases:Sources:LocalGit:Root': repos });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (repos) rmSync(repos, { recursive: true, force: true });
});

test('a repo row shows its commits, and the notes are drafted from the commits', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${service.baseUrl}/auth/dev-login?user=alice&roles=release-dev-lead&returnUrl=${encodeURIComponent('/releases')}`);
  await page.click('[data-test=new-release]');
  await page.click('[data-test=create]');
  await page.waitForURL(/\/releases\/[a-z0-9]+$/, { timeout: 120_000 });

  const row = page.locator('[data-test=repo-row]').filter({ has: page.locator('.repo-name', { hasText: /^auth-service$/ }) });
  await row.locator('[data-test=show-commits]').click();
  const dialog = page.locator('[data-test=repo-commits]');
  await dialog.locator('[data-test=commit]').first().waitFor();
  assert.deepEqual(await dialog.locator('[data-test=commit] .subject').allInnerTexts(), ['Change in auth-service']);
  assert.match(await dialog.locator('[data-test=commits-total]').innerText(), /1 commit/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  await page.click('[data-test=text-notes] [data-test=draft-from-commits]');
  const editor = page.locator('[data-test=text-notes] [data-test=textarea]');
  await editor.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-test=text-notes] [data-test=textarea]')?.value.includes('## auth-service'));
  const text = await editor.inputValue();
  assert.match(text, /## api-gateway\n\n- Change in api-gateway/);
  assert.match(text, /## auth-service\n\n- Change in auth-service/);
  await context.close();
});
