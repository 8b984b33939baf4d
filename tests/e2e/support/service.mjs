// The real service, run as its own process from the built executable (dotnet build first;
// ./test.sh does). Its output is kept so tests can check what it logged.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const serviceDll = path.join(repoRoot, 'src/Silo/bin/Debug/net10.0/OrleansReleases.dll');

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A temp folder with git repositories whose uat branch has commits master lacks. */
export function makeGitRepos(names = ['auth-service', 'api-gateway']) {
  const root = mkdtempSync(path.join(tmpdir(), 'releases-e2e-repos-'));
  const git = (cwd, ...args) => execFileSync('git', args, {
    cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, stdio: 'pipe',
  });
  for (const name of names) {
    const repo = path.join(root, name);
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'master');
    const commit = (author, message) =>
      git(repo, '-c', `user.name=${author}`, '-c', `user.email=${author}@example.test`, 'commit', '-q', '--allow-empty', '-m', message);
    commit('Alice', 'Initial');
    git(repo, 'checkout', '-q', '-b', 'uat');
    commit('Bob', `Change in ${name}`);
  }
  return root;
}

/**
 * Starts the service on a free loopback port with its own SQLite file.
 * @param {Record<string,string>} settings configuration keys → values, passed as environment variables
 * @param {number} [port]
 */
export async function startService(settings = {}, port = undefined) {
  if (!existsSync(serviceDll)) {
    throw new Error(`${serviceDll} is missing: run "dotnet build" (./test.sh does) before the end-to-end tests.`);
  }

  port ??= await freePort();
  const data = mkdtempSync(path.join(tmpdir(), 'releases-e2e-data-'));
  const env = { ...process.env, DOTNET_NOLOGO: '1' };
  const all = {
    urls: `http://127.0.0.1:${port}`,
    'Releases:DatabasePath': path.join(data, 'releases.db'),
    'Releases:Cluster:SiloPort': String(await freePort()),
    // The test identity provider is http on loopback: allowed on purpose (the service refuses an http issuer otherwise).
    'Auth:Keycloak:RequireHttpsMetadata': 'false',
    ...settings,
  };
  for (const [key, value] of Object.entries(all)) {
    env[key.replaceAll(':', '__')] = value;
  }

  const child = spawn('dotnet', [serviceDll], { cwd: data, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Now listening on:')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`service exited with ${code} before listening:\n${output}`)));
  });
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`service did not listen within 90 s:\n${output}`)), 90_000).unref());
  await Promise.race([listening, timeout]);

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}
