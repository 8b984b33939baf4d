#!/usr/bin/env node
// The release detail page with many repos, in headless Chromium (Debian's /usr/bin/chromium, never
// a downloaded browser). For each size: N generated git repos (tests/e2e/support/manyrepos.mjs,
// git fast-import), the built service on them (dotnet build first), a release uat → master made
// through the API, then in the browser:
//   usable     navigation start → first repo rows and the approvals summary (or panel) on screen
//   load task  the longest main-thread task (PerformanceObserver 'longtask') from navigation until 2 s after usable
//   elements   elements in the page once loaded
//   exclude    click on a row's Exclude box → the row shows it excluded, painted (requestAnimationFrame)
//   dep add    click on a repo in a row's dependency search → its chip shows, painted
//   saved      click → the service's answer shown (the version in the header moves on)
//   change task the longest main-thread task from the clicks until 3 s after the last answer
// Navigation is measured three times after one warm-up; the median is printed.
//
//   node bench/browser/detail-page.mjs            # 300 and 3000 repos
//   node bench/browser/detail-page.mjs 300 1000   # other sizes
// Needs tests/e2e's packages (cd tests/e2e && npm ci) and a built service (dotnet build).
import { rmSync } from 'node:fs';
import { startService } from '../../tests/e2e/support/service.mjs';
import { launchBrowser } from '../../tests/e2e/support/browser.mjs';
import { makeManyGitRepos, manyRepoName } from '../../tests/e2e/support/manyrepos.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizes.length) sizes.push(300, 3000);

// Injected before the page's own scripts: long tasks, and the moment the page became usable.
const probe = () => {
  window.__bench = { longtasks: [], usableAt: null };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longtasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const onScreen = (el) => {
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.height > 0 && box.top < innerHeight && box.bottom > 0;
  };
  const poll = () => {
    const row = document.querySelector('[data-test=repo-row]');
    const approvals = document.querySelector('[data-test=summary]') ?? document.querySelector('[data-test=approvals]');
    if (onScreen(row) && approvals) window.__bench.usableAt = performance.now();
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => (value === null || value === undefined ? '–' : `${Math.round(value)} ms`);
/** Chromium reports tasks of 50 ms and more only. */
const task = (value) => (value === 0 ? '< 50 ms' : ms(value));

async function measureSize(browser, count) {
  const started = Date.now();
  const { root, repos } = makeManyGitRepos(count);
  const generated = Date.now() - started;
  const service = await startService({ 'Releases:Sources:LocalGit:Root': repos });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(probe);
    const page = await context.newPage();
    await page.goto(`${service.baseUrl}/auth/dev-login?user=alice&roles=release-dev-lead&returnUrl=/releases`);
    const createStart = Date.now();
    const created = await context.request.post(`${service.baseUrl}/api/releases`, {
      data: { sourceBranch: 'uat', destBranch: 'master' },
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
      timeout: 15 * 60_000,
    });
    if (!created.ok()) throw new Error(`create: ${created.status()} ${await created.text()}`);
    const release = await created.json();
    const createMs = Date.now() - createStart;
    if (release.repos.length !== count) throw new Error(`the release has ${release.repos.length} repos, not ${count}`);
    const url = `${service.baseUrl}/releases/${release.id}`;

    // Navigation: one warm-up, then three measured loads.
    const loads = [];
    for (let run = 0; run < 4; run++) {
      await page.goto(url);
      await page.waitForFunction(() => window.__bench.usableAt !== null, null, { timeout: 60_000 });
      await page.waitForTimeout(2000);
      const result = await page.evaluate(() => ({
        usable: window.__bench.usableAt,
        longest: Math.max(0, ...window.__bench.longtasks.map((t) => t.duration)),
        elements: document.getElementsByTagName('*').length,
      }));
      if (run > 0) loads.push(result);
    }

    // The changes, timed in the page from the click to the painted frame that shows them.
    const changes = await page.evaluate(async ({ depOn }) => {
      const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const version = () => document.querySelector('.mono[title^="Version"]')?.getAttribute('title');
      const until = (test, timeout = 30_000) =>
        new Promise((resolve, reject) => {
          if (test()) return resolve(performance.now());
          const observer = new MutationObserver(() => {
            if (test()) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          setTimeout(() => { observer.disconnect(); reject(new Error('timed out')); }, timeout);
        });
      const rowOf = (name) =>
        [...document.querySelectorAll('[data-test=repo-row]')].find((row) => row.querySelector('.repo-name')?.textContent === name);
      const shownAt = async (test, start) => {
        await until(test);
        await nextPaint();
        return performance.now() - start;
      };

      const rows = [...document.querySelectorAll('[data-test=repo-row]')];
      const excludeName = rows[2].querySelector('.repo-name').textContent;
      const depName = rows[4].querySelector('.repo-name').textContent;
      const firstChange = performance.now();

      // Exclude a row.
      let before = version();
      let start = performance.now();
      rowOf(excludeName).querySelector('[data-test=exclude]').click();
      const exclude = await shownAt(() => rowOf(excludeName)?.classList.contains('excluded'), start);
      const excludeSaved = (await until(() => version() !== before)) - start;

      // Add a dependency through the search box.
      await new Promise((resolve) => setTimeout(resolve, 500));
      rowOf(depName).querySelector('[data-test=add]').click();
      await until(() => rowOf(depName)?.querySelector('[data-test=filter]'));
      const filter = rowOf(depName).querySelector('[data-test=filter]');
      filter.value = depOn;
      filter.dispatchEvent(new Event('input', { bubbles: true }));
      await until(() => rowOf(depName)?.querySelector('[data-test=option]')?.textContent.trim().startsWith(depOn));
      before = version();
      start = performance.now();
      rowOf(depName).querySelector('[data-test=option]').click();
      const dep = await shownAt(
        () => [...(rowOf(depName)?.querySelectorAll('[data-test=chip] .chip-name') ?? [])].some((chip) => chip.textContent === depOn),
        start,
      );
      const depSaved = (await until(() => version() !== before)) - start;

      await new Promise((resolve) => setTimeout(resolve, 3000));
      const after = window.__bench.longtasks.filter((t) => t.start + t.duration >= firstChange);
      return { exclude, excludeSaved, dep, depSaved, changeTask: Math.max(0, ...after.map((t) => t.duration)) };
    }, { depOn: manyRepoName(count - 1) });

    await context.close();
    return {
      count,
      generated,
      createMs,
      usable: median(loads.map((l) => l.usable)),
      loadTask: median(loads.map((l) => l.longest)),
      elements: median(loads.map((l) => l.elements)),
      ...changes,
    };
  } finally {
    await service.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

const browser = await launchBrowser();
const results = [];
try {
  for (const count of sizes) {
    process.stderr.write(`${count} repos…\n`);
    results.push(await measureSize(browser, count));
  }
} finally {
  await browser.close();
}

const columns = [
  ['repos', (r) => String(r.count)],
  ['usable', (r) => ms(r.usable)],
  ['longest task, load', (r) => task(r.loadTask)],
  ['elements', (r) => String(r.elements)],
  ['exclude shows', (r) => ms(r.exclude)],
  ['exclude saved', (r) => ms(r.excludeSaved)],
  ['dependency shows', (r) => ms(r.dep)],
  ['dependency saved', (r) => ms(r.depSaved)],
  ['longest task, changes', (r) => task(r.changeTask)],
];
console.log(`| ${columns.map(([name]) => name).join(' | ')} |`);
console.log(`| ${columns.map(() => '---:').join(' | ')} |`);
for (const result of results) console.log(`| ${columns.map(([, value]) => value(result)).join(' | ')} |`);
for (const result of results) {
  console.error(`${result.count} repos: generated in ${result.generated} ms, release created in ${result.createMs} ms`);
}
