import { afterEach, beforeEach, describe, test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { createOutboxDb, type OutboxDb } from '../helpers/outbox-db.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('wharf replay', () => {
  let x: OutboxDb;
  let out: string[];
  let err: string[];
  beforeEach(() => {
    x = createOutboxDb(T0);
    process.env['DATABASE_URL'] = `sqlite:${x.path}`;
    out = [];
    err = [];
    mock.method(console, 'log', (s: string) => void out.push(s));
    mock.method(console, 'error', (s: string) => void err.push(s));
    process.exitCode = undefined;
  });
  afterEach(async () => {
    mock.restoreAll();
    process.exitCode = undefined;
    await x.dispose();
  });
  const run = (...args: string[]) => main(['node', 'wharf', 'replay', ...args]);

  test('--dead-letter puts a dead letter back; a second time it is not dead any more', async () => {
    const row = x.addRow(x.addEvent({ key: 'k1' }), 'crm', { state: 'dead' });
    assert.equal(await run('--dead-letter', String(row), '--json'), 0);
    assert.deepEqual(JSON.parse(out[0] ?? ''), { replayed: String(row), target: 'crm', event: 'k1' });
    assert.equal(x.row(row)['state'], 'pending');
    assert.equal(x.row(row)['attempts'], 0);
    assert.equal(await run('--dead-letter', String(row)), 1);
    assert.match(out[1] ?? '', /is pending, not a dead letter/);
  });

  test('--delivery re-delivers by default; --rederive-only leaves hand-offs alone', async () => {
    const d = x.addDelivery(T0);
    const row = x.addRow(x.addEvent({ key: 'k1', deliveryId: d }), 'crm', { state: 'delivered' });
    assert.equal(await run('--delivery', String(d), '--rederive-only'), 0);
    assert.match(out[0] ?? '', /1 deliveries marked for processing again \(rederive only\)/);
    assert.equal(x.row(row)['state'], 'delivered');
    assert.equal(await run('--delivery', String(d)), 0);
    assert.match(out[1] ?? '', /1 hand-off\(s\) re-queued/);
    assert.equal(x.row(row)['state'], 'pending');
    assert.equal(await run('--delivery', '777'), 1);
  });

  test('--from/--to replays the deliveries received in the range', async () => {
    const inside = x.addDelivery(T0 + 1000);
    const outside = x.addDelivery(T0 + 3_600_000);
    x.addRow(x.addEvent({ key: 'in', deliveryId: inside }), 'crm', { state: 'delivered' });
    x.addRow(x.addEvent({ key: 'out', deliveryId: outside }), 'crm', { state: 'delivered' });
    assert.equal(await run('--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T00:30:00Z', '--json'), 0);
    assert.deepEqual(JSON.parse(out[0] ?? ''), { mode: 'redeliver', deliveries: 1, outbox_rows: 1 });
  });

  test('bad flags exit 2 with a reason', async () => {
    for (const [args, reason] of [
      [[], /exactly one/],
      [['--delivery', '1', '--dead-letter', '2'], /exactly one/],
      [['--from', '2026-01-01T00:00:00Z'], /--to must be an ISO 8601/],
      [['--from', 'yesterday', '--to', '2026-01-01T00:00:00Z'], /--from must be/],
      [['--dead-letter', '1', '--rederive-only'], /applies to deliveries/],
      [['--delivery', 'abc'], /digits/],
      [
        ['--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z'],
        /--from must be earlier than --to/,
      ],
    ] as const) {
      err = [];
      assert.equal(await run(...args), 2, args.join(' '));
      assert.match(err.join('\n'), reason);
    }
  });

  test('flags the parser refuses (a missing value, an unknown option) exit 2 like every other usage error', async () => {
    const written: string[] = [];
    mock.method(process.stderr, 'write', (s: string) => {
      written.push(String(s));
      return true;
    });
    for (const [args, reason] of [
      [['--dead-letter'], /--dead-letter <id>' argument missing/],
      [['--delivery', '1', '--bogus'], /unknown option '--bogus'/],
    ] as const) {
      written.length = 0;
      assert.equal(await run(...args), 2, args.join(' '));
      assert.match(written.join(''), reason);
    }
  });

  test('a time range in which no delivery was received exits 1 and says so', async () => {
    x.addDelivery(T0 + 3_600_000);
    assert.equal(await run('--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T00:30:00Z'), 1);
    assert.match(
      out[0] ?? '',
      /no delivery was received between 2026-01-01T00:00:00.000Z and 2026-01-01T00:30:00.000Z/,
    );
  });

  test('a DATABASE_URL naming a SQLite file that does not exist exits 1 saying so, and creates no file', async () => {
    const missing = `${x.path}.typo`;
    process.env['DATABASE_URL'] = `sqlite:${missing}`;
    assert.equal(await run('--delivery', '1'), 1);
    assert.match(err.join('\n'), /SQLite database of DATABASE_URL does not exist/);
    assert.equal(existsSync(missing), false);
  });
});
