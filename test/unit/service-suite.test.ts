import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';

const helper = fileURLToPath(new URL('../helpers/service-suite.ts', import.meta.url));

/** Runs a one-suite test file whose service is unreachable, with the given environment. */
function runWithServiceDown(env: Record<string, string>) {
  const dir = tempDir();
  const file = join(dir.path, 'needs-redis.test.mts');
  writeFileSync(
    file,
    `import { test } from 'node:test';
import { serviceProblem, serviceSuite } from ${JSON.stringify(helper)};
serviceSuite('Redis needing suite', await serviceProblem('redis://127.0.0.1:1'), () => {
  test('uses redis', () => undefined);
});
`,
  );
  // The runner marks its children with NODE_TEST_CONTEXT; without removing it, the child would not run files.
  const { NODE_TEST_CONTEXT: _ctx, ...outer } = process.env;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
    encoding: 'utf8',
    env: { ...outer, WHARF_REQUIRE_SERVICES: '', ...env },
  });
  dir.cleanup();
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('serviceSuite (tests that need NATS, RabbitMQ or Redis)', () => {
  test('with WHARF_REQUIRE_SERVICES=1 (CI) a missing service fails the run, naming it', () => {
    const r = runWithServiceDown({ WHARF_REQUIRE_SERVICES: '1' });
    assert.notEqual(r.status, 0);
    assert.match(r.out, /the service is required here \(WHARF_REQUIRE_SERVICES=1\)/);
    assert.match(r.out, /redis:\/\/127\.0\.0\.1:1 is unreachable/);
  });

  test('elsewhere a missing service skips the suite with a loud warning', () => {
    const r = runWithServiceDown({});
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /!!! SKIPPING "Redis needing suite"/);
    assert.match(r.out, /ok 1 - Redis needing suite # SKIP/);
  });
});
