// What the GitHub contract tests share: the C# side (tests/OrleansReleases.QueryDump, built by
// `dotnet build`, which ./test.sh runs first), the fake GitHub standalone, GitHub's OpenAPI
// description with its $refs resolved, and a small JSON-schema check for the description's schemas.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, repoRoot } from '../../e2e/support/service.mjs';

export { freePort, repoRoot };
export { startService } from '../../e2e/support/service.mjs';

const require = createRequire(import.meta.url);
const queryDump = path.join(repoRoot, 'tests/OrleansReleases.QueryDump/bin/Debug/net10.0/OrleansReleases.QueryDump.dll');

function requireBuilt() {
  if (!existsSync(queryDump)) {
    throw new Error(`${queryDump} is missing: run "dotnet build OrleansReleases.sln" (./test.sh does) before the contract tests.`);
  }
}

/** Runs a QueryDump command and reads its JSON. */
export function dump(command) {
  requireBuilt();
  const out = execFileSync('dotnet', [queryDump, command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DOTNET_NOLOGO: '1' } });
  return JSON.parse(out);
}

/** The fake GitHub as its own process on a free port, for organisation `org`; seed it with `seedRepo`. */
export async function startFakeGitHub(org, token) {
  requireBuilt();
  const port = await freePort();
  const child = spawn('dotnet', [queryDump, 'fake-github', String(port), org, token], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('fake GitHub listening on')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the fake GitHub exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`the fake GitHub did not start within 60 s:\n${output}`)), 60_000).unref();
  });
  const apiUrl = `http://127.0.0.1:${port}/`;
  const seed = async (path, payload) => {
    const response = await fetch(new URL(path, apiUrl), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  const headers = { authorization: `token ${token}`, 'user-agent': 'contract-tests', accept: 'application/vnd.github+json' };
  return {
    apiUrl,
    /** GET from the fake's API as a client would: { status, headers, body }. */
    async get(pathAndQuery) {
      const response = await fetch(new URL(pathAndQuery.replace(/^\//, ''), apiUrl), { headers });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    },
    /** POST JSON to the fake's API as a client would: { status, headers, body }. */
    async post(pathAndQuery, payload) {
      const response = await fetch(new URL(pathAndQuery.replace(/^\//, ''), apiUrl), {
        method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    },
    /** A CI system's commit status (not through the API: as another app would set it). */
    async setStatus(repo, sha, context, state) {
      await seed(`_fake/repos/${encodeURIComponent(repo)}/statuses`, { sha, context, state });
    },
    /** A check run of the commit, created or updated by name. */
    async setCheckRun(repo, sha, name, status, conclusion = null) {
      await seed(`_fake/repos/${encodeURIComponent(repo)}/check-runs`, { sha, name, status, conclusion });
    },
    async seedRepo(repo) {
      const response = await fetch(new URL('_fake/repos', apiUrl), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(repo),
      });
      if (response.status !== 201) throw new Error(`seeding ${repo.name}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    async commit(repo, branch, author, login = null, count = 1) {
      const response = await fetch(new URL(`_fake/repos/${encodeURIComponent(repo)}/commits`, apiUrl), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ branch, author, login, count }),
      });
      if (!response.ok) throw new Error(`committing to ${repo}: ${response.status} ${await response.text()}`);
      return (await response.json()).head;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000); // never leave a fake behind
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

/** GitHub's OpenAPI description of api.github.com, as @octokit/openapi publishes it. */
export const openapi = require('@octokit/openapi/generated/api.github.com.json');

/** Follows a local $ref ("#/components/…") of the description. */
export function deref(node) {
  let current = node;
  const seen = new Set();
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    if (seen.has(current.$ref)) throw new Error(`$ref cycle at ${current.$ref}`);
    seen.add(current.$ref);
    current = current.$ref.slice(2).split('/').map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((at, key) => at?.[key], openapi);
    if (current === undefined) throw new Error(`unresolved $ref ${[...seen].at(-1)}`);
  }
  return current;
}

/** The operation of the description for a method and a path template, or undefined. */
export function operation(method, template) {
  return openapi.paths[template]?.[method.toLowerCase()];
}

/** The names of an operation's query parameters. */
export function queryParameters(op) {
  return (op.parameters ?? []).map(deref).filter((p) => p.in === 'query').map((p) => p.name);
}

/** The JSON schema of an operation's request body, or undefined when it takes none. */
export function requestBodySchema(op) {
  return deref(op.requestBody)?.content?.['application/json']?.schema;
}

/** The status of an operation's success answer: its first 2xx (201 for a create). */
export function successStatus(op) {
  return Number(Object.keys(op.responses).find((s) => /^2\d\d$/.test(s)));
}

/** The JSON schema of an operation's answer with `status`. */
export function responseSchema(op, status) {
  const response = deref(op.responses[String(status)]);
  return response?.content?.['application/json']?.schema;
}

/**
 * Whether a field path ("a.b", "[].name", "commits[].author.login") exists in a schema: every step
 * must be a declared property (in any branch of allOf/anyOf/oneOf), `[]` an array's items.
 */
export function hasField(schema, fieldPath) {
  const steps = fieldPath.split(/\.|(?=\[\])/).filter(Boolean).flatMap((s) => (s.endsWith('[]') && s !== '[]' ? [s.slice(0, -2), '[]'] : [s]));
  const walk = (node, i) => {
    node = deref(node);
    if (!node) return false;
    if (i === steps.length) return true;
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      if (node[key]?.some((branch) => walk(branch, i))) return true;
    }
    const step = steps[i];
    if (step === '[]') return node.type === 'array' && walk(node.items, i + 1);
    return node.properties?.[step] !== undefined && walk(node.properties[step], i + 1);
  };
  return walk(schema, 0);
}

/**
 * Checks a value against a schema of the description (OpenAPI 3.0: type, nullable, required,
 * properties, items, enum, allOf/anyOf/oneOf); returns the problems, with where they are.
 * Formats and additionalProperties are not checked.
 */
export function schemaProblems(schema, value, where = '$') {
  schema = deref(schema);
  if (!schema || Object.keys(schema).length === 0) return [];
  const problems = [];
  if (value === null) {
    return schema.nullable || schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))
      || schema.anyOf?.some((s) => schemaProblems(s, value, where).length === 0)
      || schema.oneOf?.some((s) => schemaProblems(s, value, where).length === 0)
      ? [] : [`${where}: null where the schema does not allow it`];
  }
  if (schema.allOf) for (const s of schema.allOf) problems.push(...schemaProblems(s, value, where));
  for (const key of ['anyOf', 'oneOf']) {
    if (schema[key] && !schema[key].some((s) => schemaProblems(s, value, where).length === 0)) {
      problems.push(`${where}: matches none of ${key} (${schema[key].map((s) => schemaProblems(s, value, where)[0]).join('; ')})`);
    }
  }
  const types = schema.type === undefined ? [] : [].concat(schema.type);
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types.length && !types.some((t) => t === actual || (t === 'number' && actual === 'integer'))) {
    return [...problems, `${where}: ${actual} where the schema says ${types.join('|')}`];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (actual === 'object') {
    for (const name of schema.required ?? []) {
      if (!(name in value)) problems.push(`${where}.${name}: required, missing`);
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (name in value) problems.push(...schemaProblems(property, value[name], `${where}.${name}`));
    }
  }
  if (actual === 'array' && schema.items) {
    value.forEach((item, i) => problems.push(...schemaProblems(schema.items, item, `${where}[${i}]`)));
  }
  return problems;
}
