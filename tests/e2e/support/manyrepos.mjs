// Many git repositories, quickly: a release over hundreds or thousands of repos for the big-release
// end-to-end test and bench/browser. A few distinct bare repos are made with one `git fast-import`
// each (as src/Grains/Sources/DemoRepositories.cs does), and each of the N repos is a file copy of
// one of them under its own name (svc-0001.git …), its files hard links (the service only reads them). Their uat branch is 1–3 commits ahead of master.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const authors = ['Alice Moreau', 'Bob Okafor', 'Carol Jensen', 'Dave Tanaka', 'Erin Walsh'];
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function data(text) {
  return `data ${Buffer.byteLength(text)}\n${text}`;
}

/** One bare repo: two commits on master, `ahead` more on uat. */
function makeTemplate(dir, variant) {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--template=', '--initial-branch=master', dir], { env: gitEnv });
  let stream = '';
  let mark = 0;
  let time = 1_760_000_000 + variant * 3600;
  const commit = (branch, author, message, parent) => {
    mark++;
    time += 7 * 3600;
    const who = `${author} <${author.split(' ')[0].toLowerCase()}@example.com> ${time} +0000`;
    stream += `commit refs/heads/${branch}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(`${message}\n`)}`;
    if (parent) stream += `from :${parent}\n`;
    stream += `M 100644 inline src/file${mark}.txt\n${data(`${message}\n`)}\n`;
    return mark;
  };
  let tip = commit('master', authors[variant % authors.length], 'Initial', null);
  tip = commit('master', authors[(variant + 1) % authors.length], 'Add health check', tip);
  const ahead = 1 + (variant % 3);
  for (let i = 0; i < ahead; i++) tip = commit('uat', authors[(variant + i) % authors.length], `Change ${i + 1} for the release`, tip);
  execFileSync('git', ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet'], { cwd: dir, input: stream, env: gitEnv });
}

/** The name of the i-th repo (0-based): svc-0001, svc-0002, … */
export const manyRepoName = (i) => `svc-${String(i + 1).padStart(4, '0')}`;

/** A temp folder of `count` bare repos; returns its path (remove it with rmSync when done). */
export function makeManyGitRepos(count, variants = 6) {
  const root = mkdtempSync(path.join(tmpdir(), 'releases-many-repos-'));
  const templates = path.join(root, '.templates');
  for (let v = 0; v < variants; v++) makeTemplate(path.join(templates, `t${v}`), v);
  const repos = path.join(root, 'repos');
  mkdirSync(repos);
  const layouts = [];
  for (let v = 0; v < variants; v++) {
    const base = path.join(templates, `t${v}`);
    const entries = readdirSync(base, { recursive: true, withFileTypes: true });
    layouts.push({
      base,
      dirs: entries.filter((e) => e.isDirectory()).map((e) => path.relative(base, path.join(e.parentPath, e.name))),
      files: entries.filter((e) => e.isFile()).map((e) => path.relative(base, path.join(e.parentPath, e.name))),
    });
  }
  for (let i = 0; i < count; i++) {
    const { base, dirs, files } = layouts[i % variants];
    const target = path.join(repos, `${manyRepoName(i)}.git`);
    mkdirSync(target);
    for (const dir of dirs) mkdirSync(path.join(target, dir), { recursive: true });
    for (const file of files) linkSync(path.join(base, file), path.join(target, file));
  }
  return { root, repos };
}
