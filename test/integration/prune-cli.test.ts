import { afterEach, beforeEach, describe, test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { createOutboxDb, type OutboxDb } from '../helpers/outbox-db.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase } from '../../src/adapters/postgres/open-database.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';

const DAY = 86_400_000;
/** Past the default 30 days of retention by a margin no test run can eat up. */
const old = () => Date.now() - 40 * DAY;

/** Captures what `wharf prune` prints; restores the environment it changed. */
function cliHarness() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    setUp(databaseUrl: string) {
      process.env['DATABASE_URL'] = databaseUrl;
      out.length = 0;
      err.length = 0;
      mock.method(console, 'log', (s: string) => void out.push(s));
      mock.method(console, 'error', (s: string) => void err.push(s));
      process.exitCode = undefined;
    },
    tearDown() {
      mock.restoreAll();
      process.exitCode = undefined;
      delete process.env['WHARF_RETENTION_DAYS'];
      delete process.env['DATABASE_URL'];
    },
    run: (...args: string[]) => main(['node', 'wharf', 'prune', ...args]),
  };
}

describe('wharf prune (SQLite)', () => {
  let x: OutboxDb;
  const cli = cliHarness();
  beforeEach(() => {
    x = createOutboxDb();
    cli.setUp(`sqlite:${x.path}`);
  });
  afterEach(async () => {
    cli.tearDown();
    await x.dispose();
  });
  const count = (table: string) => x.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

  /** Two old deliveries handed off, one old dead letter, one recent delivery. */
  function seed(): void {
    for (const key of ['a', 'b']) {
      const d = x.addDelivery(old());
      x.addRow(x.addEvent({ key, deliveryId: d }), 'crm', { state: 'delivered' });
    }
    x.addRow(x.addEvent({ key: 'dead', deliveryId: x.addDelivery(old()) }), 'crm', { state: 'dead' });
    x.addRow(x.addEvent({ key: 'new', deliveryId: x.addDelivery(Date.now()) }), 'crm', {
      state: 'delivered',
    });
  }

  test('--dry-run changes nothing and prints the counts that the real run then removes', async () => {
    seed();
    assert.equal(await cli.run('--dry-run', '--json'), 0);
    const dry = JSON.parse(cli.out[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(
      {
        dry_run: dry['dry_run'],
        deliveries: dry['deliveries'],
        events: dry['events'],
        outbox: dry['outbox'],
      },
      { dry_run: true, deliveries: 2, events: 2, outbox: 2 },
    );
    assert.equal(dry['retention_days'], 30);
    assert.deepEqual([count('deliveries'), count('events'), count('outbox')], [4, 4, 4]);
    assert.equal(await cli.run('--json'), 0);
    const real = JSON.parse(cli.out[1] ?? '') as Record<string, unknown>;
    assert.deepEqual({ ...real, dry_run: true, received_before: null }, { ...dry, received_before: null });
    assert.deepEqual([count('deliveries'), count('events'), count('outbox')], [2, 2, 2]);
  });

  test('prints what it removed per table, readable', async () => {
    seed();
    assert.equal(await cli.run(), 0);
    assert.match(cli.out[0] ?? '', /^removed, received before \d{4}-\d\d-\d\dT/);
    assert.deepEqual(cli.out.slice(1), ['  deliveries 2', '  events     2', '  outbox     2']);
    assert.equal(await cli.run('--dry-run'), 0);
    assert.match(cli.out[4] ?? '', /^would remove \(dry run, nothing changed\)/);
    assert.deepEqual(cli.out.slice(5), ['  deliveries 0', '  events     0', '  outbox     0']);
  });

  test('WHARF_RETENTION_DAYS=0 turns it off: nothing is removed, and it says so', async () => {
    seed();
    process.env['WHARF_RETENTION_DAYS'] = '0';
    assert.equal(await cli.run(), 0);
    assert.match(cli.out[0] ?? '', /retention is off \(WHARF_RETENTION_DAYS=0\)/);
    assert.equal(count('deliveries'), 4);
  });

  test('a missing database file is an error naming DATABASE_URL, and creates nothing', async () => {
    process.env['DATABASE_URL'] = `sqlite:${x.path}.missing`;
    assert.equal(await cli.run(), 1);
    assert.match(cli.err[0] ?? '', /does not exist: .*\.missing \(check DATABASE_URL\)/);
    assert.equal(existsSync(`${x.path}.missing`), false);
  });

  test('a bad WHARF_RETENTION_DAYS is refused naming the setting', async () => {
    process.env['WHARF_RETENTION_DAYS'] = '-3';
    await assert.rejects(cli.run(), /WHARF_RETENTION_DAYS: must be a whole number/);
    process.env['WHARF_RETENTION_DAYS'] = '40000';
    await assert.rejects(cli.run(), /WHARF_RETENTION_DAYS: must be at most 36500/);
    assert.equal(count('deliveries'), 0);
  });
});

await postgresSuite('wharf prune (PostgreSQL)', (pg) => {
  const cli = cliHarness();
  afterEach(() => cli.tearDown());

  test('--dry-run changes nothing; the real run removes the same counts, keeping the dead letter', async () => {
    const url = await pg.freshSchemaUrl();
    const db = openDatabase(url);
    try {
      await migrate(db, 0);
      const q = async (sql: string, params: unknown[]) =>
        Number((await db.pool.query<{ id: number }>(sql, params)).rows[0]?.id);
      const seedOne = async (key: string, receivedAt: number, outbox: string) => {
        const d = await q(
          `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id, state)
           VALUES ($1, $2, '\\x7b7d', 2, 0, 'test', 'processed') RETURNING id`,
          [receivedAt, `hash-${key}`],
        );
        const e = await q(
          `INSERT INTO events (key, name, field, waba_id, data, delivery_id, created_at)
           VALUES ($1, 'message.text', 'messages', 'waba-1', '{}', $2, 0) RETURNING id`,
          [key, d],
        );
        await q(
          `INSERT INTO outbox (event_id, target, state, next_attempt_at, created_at, updated_at)
           VALUES ($1, 'crm', $2, 0, 0, 0) RETURNING id`,
          [e, outbox],
        );
      };
      await seedOne('a', old(), 'delivered');
      await seedOne('b', old(), 'delivered');
      await seedOne('dead', old(), 'dead');
      await seedOne('new', Date.now(), 'delivered');
      const counts = async () =>
        Promise.all(
          ['deliveries', 'events', 'outbox'].map(async (t) =>
            Number((await db.pool.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n),
          ),
        );
      cli.setUp(url);
      assert.equal(await cli.run('--dry-run', '--json'), 0);
      const dry = JSON.parse(cli.out[0] ?? '') as Record<string, unknown>;
      assert.deepEqual([dry['deliveries'], dry['events'], dry['outbox']], [2, 2, 2]);
      assert.deepEqual(await counts(), [4, 4, 4]);
      assert.equal(await cli.run('--json'), 0);
      const real = JSON.parse(cli.out[1] ?? '') as Record<string, unknown>;
      assert.deepEqual(
        [real['dry_run'], real['deliveries'], real['events'], real['outbox']],
        [false, 2, 2, 2],
      );
      assert.deepEqual(await counts(), [2, 2, 2]);
    } finally {
      await db.pool.end();
    }
  });
});
