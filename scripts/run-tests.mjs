#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's built-in test runner (TypeScript loaded through tsx).
// Node 20's --test does not expand globs itself, so the file list is collected here.
// Usage: node scripts/run-tests.mjs [path-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// The PostgreSQL suites run in every `npm test`, not only in CI: default to the local server
// (.ci/run exports the same URL and also WHARF_REQUIRE_POSTGRES=1, which turns a skip into a failure).
const testDatabaseUrl = process.env.WHARF_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', WHARF_TEST_DATABASE_URL: testDatabaseUrl } },
);
process.exit(res.status ?? 1);
