import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { SETTINGS } from '../../src/config/schema.js';
import { unknownVariableWarnings } from '../../src/config/unknown-variables.js';
import { WharfError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('loadConfig', () => {
  test('gives the documented defaults', () => {
    const c = loadConfig({ env: {}, envFile: false });
    assert.equal(c.port, 8080);
    assert.equal(c.host, '0.0.0.0');
    assert.deepEqual(c.storage, { kind: 'sqlite', path: './data/wharf.db' });
    assert.equal(c.graphUrl, 'https://graph.facebook.com/v24.0');
    assert.equal(c.webhookPath, '/webhooks/whatsapp');
    assert.equal(c.maxBodyBytes, 4 * 1024 * 1024);
    assert.deepEqual(c.appSecrets, []);
  });
  test('splits comma-separated app secrets and trims them', () => {
    const c = loadConfig({ env: { WHATSAPP_APP_SECRET: ' a , b,,c ' }, envFile: false });
    assert.deepEqual(c.appSecrets, ['a', 'b', 'c']);
  });
  test('returns a frozen object', () => {
    const c = loadConfig({ env: {}, envFile: false });
    assert.equal(Object.isFrozen(c), true);
    assert.equal(Object.isFrozen(c.appSecrets), true);
  });
  test('warns about a missing app secret and says where Meta shows it', () => {
    const c = loadConfig({ env: {}, envFile: false });
    assert.ok(c.warnings.some((w) => w.includes('WHATSAPP_APP_SECRET') && w.includes('Settings → Basic')));
  });
  test('an invalid value stops startup with a message naming the setting', () => {
    assert.throws(
      () => loadConfig({ env: { PORT: 'eighty' }, envFile: false }),
      (e: unknown) => e instanceof WharfError && e.code === 'CONFIG_INVALID' && e.message.includes('PORT'),
    );
    assert.throws(() => loadConfig({ env: { DATABASE_URL: 'mysql://x' }, envFile: false }), /DATABASE_URL/);
    assert.throws(
      () => loadConfig({ env: { WHARF_WEBHOOK_PATH: 'no-slash' }, envFile: false }),
      /WHARF_WEBHOOK_PATH/,
    );
  });
  test('an empty numeric setting is refused naming it, not read as 0 (PORT= would listen on a random port)', () => {
    for (const name of ['PORT', 'WHARF_BATCH_SIZE', 'WHARF_SHUTDOWN_TIMEOUT_MS'] as const)
      for (const value of ['', ' '])
        assert.throws(
          () => loadConfig({ env: { [name]: value }, envFile: false }),
          new RegExp(`${name}: must be a whole number \\(it is set but empty\\)`),
          `${name}=${JSON.stringify(value)}`,
        );
  });
  test('numeric settings are whole decimal numbers: 1e3, 0x50 and 2.5 are refused naming the setting', () => {
    for (const value of ['1e3', '0x50', '2.5', '-1'])
      assert.throws(
        () => loadConfig({ env: { WHARF_LEASE_SECONDS: value }, envFile: false }),
        /WHARF_LEASE_SECONDS: must be a whole number/,
        value,
      );
    assert.equal(loadConfig({ env: { WHARF_LEASE_SECONDS: ' 45 ' }, envFile: false }).leaseSeconds, 45);
    assert.equal(
      loadConfig({ env: { PORT: '0' }, envFile: false }).port,
      0,
      'an explicit 0 still asks for any free port',
    );
  });
  test('reads a .env file, and the environment wins over it', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, '.env');
      writeFileSync(file, 'PORT=9001\nWHARF_API_TOKEN=from-file\n');
      const c = loadConfig({ env: { PORT: '9002' }, envFile: file });
      assert.equal(c.port, 9002);
      assert.equal(c.apiToken, 'from-file');
    } finally {
      dir.cleanup();
    }
  });
  test('overrides (CLI flags) win over the environment', () => {
    assert.equal(loadConfig({ env: { PORT: '1' }, envFile: false, overrides: { PORT: 2 } }).port, 2);
  });
  test('the error message never contains the secret values', () => {
    try {
      loadConfig({ env: { WHATSAPP_APP_SECRET: 'supersecret', PORT: 'x' }, envFile: false });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(!(e as Error).message.includes('supersecret'));
    }
  });

  test('a misspelt WHARF_/WHATSAPP_ variable is warned about, naming the closest setting', () => {
    const c = loadConfig({
      env: { WHATSAPP_APP_SECRETS: 's', WHARF_API_TOKNE: 't', WHARF_LOG_LEVEL: 'warn' },
      envFile: false,
    });
    const typos = c.warnings.filter((w) => w.includes('is not a Wharf setting'));
    assert.equal(typos.length, 2, typos.join('\n'));
    assert.match(typos[0] ?? '', /^WHARF_API_TOKNE is set .* Did you mean WHARF_API_TOKEN\?/);
    assert.match(typos[1] ?? '', /^WHATSAPP_APP_SECRETS is set .* Did you mean WHATSAPP_APP_SECRET\?/);
  });
  test('a misspelt variable in the .env file is warned about too', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, '.env');
      writeFileSync(file, 'WHARF_WEBHOOK_PAHT=/hook\n');
      const c = loadConfig({ env: {}, envFile: file });
      assert.ok(c.warnings.some((w) => w.includes('WHARF_WEBHOOK_PAHT') && w.includes('WHARF_WEBHOOK_PATH')));
    } finally {
      dir.cleanup();
    }
  });
  test('an unknown name far from every setting is warned about without a misleading suggestion', () => {
    const c = loadConfig({ env: { WHARF_SOMETHING_ELSE_ENTIRELY: '1' }, envFile: false });
    const [w] = c.warnings.filter((x) => x.includes('WHARF_SOMETHING_ELSE_ENTIRELY'));
    assert.ok(w);
    assert.doesNotMatch(w, /Did you mean/);
  });
  test('settings, test-suite variables, unset names and other prefixes raise no unknown-variable warning', () => {
    const c = loadConfig({
      env: {
        WHARF_API_TOKEN: 't',
        WHARF_TEST_DATABASE_URL: 'postgres://x',
        WHARF_REQUIRE_POSTGRES: '1',
        WHARF_REQUIRE_SERVICES: '1',
        WHARF_BENCH_PINNED: '1',
        WHARF_UNSET: undefined,
        WHATSAPPER: 'x',
        PATH: '/bin',
      },
      envFile: false,
    });
    assert.deepEqual(
      c.warnings.filter((w) => w.includes('is not a Wharf setting')),
      [],
    );
  });
  test('every WHARF_/WHATSAPP_ variable the CI, the test runner, test helpers and benchmarks read is a setting or a known tooling variable', () => {
    const sources = [
      '.ci/run',
      'scripts/run-tests.mjs',
      ...readdirSync('test/helpers').map((f) => `test/helpers/${f}`),
    ].concat(
      readdirSync('bench')
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `bench/${f}`),
    );
    const names = new Set(
      sources.flatMap((f) => readFileSync(f, 'utf8').match(/\b(WHARF|WHATSAPP)_[A-Z0-9_]+/g) ?? []),
    );
    assert.ok(names.has('WHARF_TEST_DATABASE_URL'), 'the scan sees the test variables');
    assert.deepEqual(unknownVariableWarnings(names, Object.keys(SETTINGS)), []);
  });
});
