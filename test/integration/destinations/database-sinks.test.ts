/**
 * Destination kinds `mysql` and `postgres` (docs/destinations.md, "Your own database") against the
 * MariaDB and PostgreSQL servers of the machine: the table is created when missing, one row per
 * event, a repeated event key changes nothing, many events share one INSERT, and a wrong password, a
 * missing database or a table Wharf cannot write to is said in plain words.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import type { DestinationTransport, OutboundMessage } from '../../../src/ports/destination-transport.js';
import type { AnyWharfEvent } from '../../../src/events/wharf-event.js';
import { createMysqlTransport } from '../../../src/adapters/destinations/mysql.js';
import { createPostgresTransport } from '../../../src/adapters/destinations/postgres.js';
import { snakeCaseKeys } from '../../../src/events/snake-case-keys.js';
import { outboundMessage } from '../../helpers/outbound-message.js';
import { SERVICE_URLS, serviceProblem, serviceSuite } from '../../helpers/service-suite.js';
import { freshMysqlDatabase } from '../../helpers/mysql-test-db.js';
import { postgresSuite } from '../../helpers/postgres-test-db.js';

const never = new AbortController().signal;
// A thousand attempts at once listen on the one signal, as a dispatcher's attempts do on its own.
setMaxListeners(2000, never);

interface SinkDb {
  /** A transport writing to `table` of the test database (or of `url`). */
  open(table: string, over?: { url?: string; maxInFlight?: number }): DestinationTransport;
  /** The table as a name the transport takes (`schema.table` on PostgreSQL). */
  table(name: string): string;
  rows(table: string): Promise<Array<Record<string, unknown>>>;
  columns(table: string): Promise<string[]>;
  exec(sql: string): Promise<void>;
  /** A URL to the same server whose database does not exist. */
  readonly missingDatabaseUrl: string;
  /** A URL with a wrong password. */
  readonly wrongPasswordUrl: string;
  /** A row value the table refuses (the event's contact), or null. */
  readonly refusedContact: () => Partial<AnyWharfEvent>;
}

/** The i-th of many distinct events: a real-shaped event under its own key and wamid. */
function manyEvent(i: number, fixture = 'messages/text.json'): OutboundMessage {
  const m = outboundMessage(fixture);
  const event = { ...m.event, key: `${m.event.key}#${i}`, wamid: `wamid.MANY${i}` } as AnyWharfEvent;
  return { ...m, event, eventKey: event.key, eventId: String(1000 + i) };
}

const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

/** `checksPasswords`: false for a server that trusts every password (PostgreSQL here, pg_hba trust). */
function sinkSpec(name: string, db: () => SinkDb, checksPasswords: boolean) {
  describe(`database sink: ${name}`, { timeout: 60_000 }, () => {
    test('a missing table is created with the documented columns, one row per event holding the event', async () => {
      const x = db();
      const table = x.table('events_new');
      const t = x.open(table);
      try {
        const text = outboundMessage('messages/text.json', { eventId: '41' });
        const failed = outboundMessage('messages/status-failed.json', { eventId: '42' });
        const results = await Promise.all([t.send(text, never), t.send(failed, never)]);
        assert.deepEqual(
          results.map((r) => [r.ok, r.error]),
          [
            [true, null],
            [true, null],
          ],
        );
        const columns = await x.columns(table);
        for (const c of [
          'event_id',
          'name',
          'event_key',
          'occurred_at',
          'waba_id',
          'phone_number_id',
          'wamid',
          'contact_wa_id',
          'contact_user_id',
          'data',
          'raw',
        ])
          assert.ok(columns.includes(c), `column ${c}`);
        const rows = await x.rows(table);
        assert.equal(rows.length, 2);
        const row = rows.find((r) => r['event_key'] === text.event.key);
        assert.ok(row, 'the text message row');
        assert.equal(row['event_id'], '41');
        assert.equal(row['name'], 'message.text');
        assert.equal(row['waba_id'], text.event.wabaId);
        assert.equal(row['phone_number_id'], text.event.phoneNumberId);
        assert.equal(row['wamid'], text.event.wamid);
        assert.equal(row['contact_wa_id'], text.event.contact?.waId);
        assert.equal(new Date(row['occurred_at'] as string).getTime(), text.event.occurredAt);
        assert.deepEqual(json(row['data']), snakeCaseKeys(text.event.data));
        assert.deepEqual(json(row['raw']), text.event.raw);
        const status = rows.find((r) => r['event_key'] === failed.event.key);
        assert.equal(status?.['name'], 'status.failed');
      } finally {
        await t.close();
      }
    });

    test('a repeated event key changes nothing: sent again, and by a second worker, it stays one row', async () => {
      const x = db();
      const table = x.table('events_repeat');
      const first = x.open(table);
      const second = x.open(table);
      try {
        const m = outboundMessage('messages/text.json', { eventId: '7' });
        assert.equal((await first.send(m, never)).ok, true);
        const again = await first.send(m, never);
        assert.equal(again.ok, true, 'a repeated event is delivered, not an error');
        assert.match(again.responseExcerpt ?? '', /0 of 1 rows written/);
        const other = await second.send({ ...m, eventId: '8' }, never);
        assert.equal(other.ok, true);
        const rows = await x.rows(table);
        assert.equal(rows.length, 1);
        assert.equal(rows[0]?.['event_id'], '7', 'the first write stands');
      } finally {
        await first.close();
        await second.close();
      }
    });

    test('1,000 events at once are 1,000 rows, written by far fewer statements than events; sent again they add none', async () => {
      const x = db();
      const table = x.table('events_many');
      const t = x.open(table, { maxInFlight: 500 });
      try {
        const ms = Array.from({ length: 1000 }, (_, i) => manyEvent(i));
        const results = await Promise.all(ms.map((m) => t.send(m, never)));
        assert.deepEqual(
          results.filter((r) => !r.ok).map((r) => r.error),
          [],
        );
        const sizes = results.map((r) => Number(/of (\d+) rows/.exec(r.responseExcerpt ?? '')?.[1]));
        assert.ok(Math.max(...sizes) > 100, `statements of many rows (largest ${Math.max(...sizes)})`);
        assert.ok(Math.max(...sizes) <= 500, 'no statement above max_in_flight rows');
        assert.equal((await x.rows(table)).length, 1000);
        const replayed = await Promise.all(ms.map((m) => t.send(m, never)));
        assert.ok(replayed.every((r) => r.ok && /^\S+: 0 of/.test(r.responseExcerpt ?? '')));
        assert.equal((await x.rows(table)).length, 1000);
      } finally {
        await t.close();
      }
    });

    test('a row the table refuses fails alone; the others of its statement are written', async () => {
      const x = db();
      const table = x.table('events_refused');
      const t = x.open(table);
      try {
        const good = [manyEvent(1), manyEvent(2)];
        const bad = manyEvent(3);
        const refused = { ...bad, event: { ...bad.event, ...x.refusedContact() } as AnyWharfEvent };
        const results = await Promise.all([...good, refused].map((m) => t.send(m, never)));
        assert.deepEqual(
          results.map((r) => r.ok),
          [true, true, false],
        );
        assert.ok(results[2]?.error, 'the refused row says why');
        assert.deepEqual((await x.rows(table)).map((r) => r['event_key']).sort(), [
          good[0]!.eventKey,
          good[1]!.eventKey,
        ]);
      } finally {
        await t.close();
      }
    });

    test('a batch (sendBatch, max_in_flight counting rows): one result per event in order, each row once, a refused row failing alone', async () => {
      const x = db();
      const table = x.table('events_batch');
      const t = x.open(table);
      try {
        assert.equal(t.inFlightCounts, 'messages', 'max_in_flight counts rows, not attempts');
        const good = Array.from({ length: 30 }, (_, i) => manyEvent(100 + i));
        const bad = manyEvent(200);
        const refused = { ...bad, event: { ...bad.event, ...x.refusedContact() } as AnyWharfEvent };
        const batch = [...good.slice(0, 15), refused, ...good.slice(15)];
        const results = await t.sendBatch!(batch, never);
        assert.deepEqual(
          results.map((r) => r.ok),
          batch.map((m) => m !== refused),
        );
        assert.ok(results[15]?.error, 'the refused row says why');
        const again = await t.sendBatch!(good, never);
        assert.ok(again.every((r) => r.ok && /^\S+: 0 of/.test(r.responseExcerpt ?? '')));
        assert.deepEqual(
          (await x.rows(table)).map((r) => r['event_key']).sort(),
          good.map((m) => m.eventKey).sort(),
        );
      } finally {
        await t.close();
      }
    });

    test('a missing database is said in plain words', async () => {
      const x = db();
      const t = x.open('events', { url: x.missingDatabaseUrl });
      try {
        const r = await t.send(outboundMessage(), never);
        assert.equal(r.ok, false);
        assert.match(r.error ?? '', /the database named in the url does not exist/);
        const probe = await t.probe!(outboundMessage(), never);
        assert.match(probe.error ?? '', /does not exist/);
      } finally {
        await t.close();
      }
    });

    // Registered only where the server checks passwords (PostgreSQL here trusts every one: pg_hba trust).
    if (checksPasswords)
      test('a wrong password is said in plain words, and the password is not', async () => {
        const x = db();
        const t = x.open('events', { url: x.wrongPasswordUrl });
        try {
          const r = await t.send(outboundMessage(), never);
          assert.equal(r.ok, false);
          assert.match(r.error ?? '', /refused the user name or password/);
          assert.doesNotMatch(r.error ?? '', /s3cr3t-wrong/);
        } finally {
          await t.close();
        }
      });

    test('an existing table without the columns, or without a unique event_key, is refused with the reason', async () => {
      const x = db();
      const other = x.table('someone_elses');
      await x.exec(`CREATE TABLE ${other.replace(/(\w+)$/, '$1')} (id INT PRIMARY KEY, note TEXT)`);
      const t = x.open(other);
      try {
        const r = await t.send(outboundMessage(), never);
        assert.equal(r.ok, false);
        assert.match(r.error ?? '', /exists but has no column event_id, name, event_key/);
        const probe = await t.probe!(outboundMessage(), never);
        assert.match(probe.error ?? '', /has no column/);
      } finally {
        await t.close();
      }
      const loose = x.table('no_unique_key');
      await x.exec(
        `CREATE TABLE ${loose} (event_id TEXT, name TEXT, event_key VARCHAR(512), occurred_at TEXT, waba_id TEXT,
         phone_number_id TEXT, wamid TEXT, contact_wa_id TEXT, contact_user_id TEXT, data TEXT, raw TEXT)`,
      );
      const u = x.open(loose);
      try {
        const r = await u.send(outboundMessage(), never);
        assert.equal(r.ok, false);
        assert.match(r.error ?? '', /no unique index on event_key/);
        assert.equal((await x.rows(loose)).length, 0);
      } finally {
        await u.close();
      }
    });

    test('a table dropped while in use fails that attempt, and the next one creates it again', async () => {
      const x = db();
      const table = x.table('events_dropped');
      const t = x.open(table);
      try {
        assert.equal((await t.send(manyEvent(1), never)).ok, true);
        await x.exec(`DROP TABLE ${table}`);
        const failed = await t.send(manyEvent(2), never);
        assert.equal(failed.ok, false);
        assert.match(failed.error ?? '', /exist/);
        const again = await t.send(manyEvent(2), never);
        assert.equal(again.ok, true, again.error ?? '');
        assert.deepEqual(
          (await x.rows(table)).map((r) => r['event_key']),
          [manyEvent(2).eventKey],
        );
      } finally {
        await t.close();
      }
    });

    test('the test of a destination writes the sample event and rolls it back: the table is made, no row is left', async () => {
      const x = db();
      const table = x.table('events_probe');
      const t = x.open(table);
      try {
        const r = await t.probe!(outboundMessage(), never);
        assert.equal(r.ok, true, r.error ?? '');
        assert.match(r.responseExcerpt ?? '', /could be written \(rolled back/);
        assert.equal((await x.rows(table)).length, 0);
      } finally {
        await t.close();
      }
    });
  });
}

const mysqlDown = await serviceProblem(SERVICE_URLS.mysql);
serviceSuite('MariaDB / MySQL', mysqlDown, () => {
  let mysql: Awaited<ReturnType<typeof freshMysqlDatabase>>;
  const ready = freshMysqlDatabase().then((d) => (mysql = d));
  test('a database of its own', async () => {
    await ready;
  });
  sinkSpec(
    'mysql (MariaDB)',
    () => ({
      open: (table, over = {}) =>
        createMysqlTransport({
          url: over.url ?? mysql.url,
          table,
          timeoutMs: 10_000,
          maxInFlight: over.maxInFlight ?? 50,
        }),
      table: (name) => name,
      rows: (table) =>
        mysql.rows(
          `SELECT *, DATE_FORMAT(occurred_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS occurred_at FROM \`${table}\``,
        ),
      columns: async (table) =>
        (
          await mysql.rows<{ c: string }>(
            'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
            [table],
          )
        ).map((r) => r.c),
      exec: async (sql) => {
        await mysql.admin.query(sql);
      },
      missingDatabaseUrl: mysql.url.replace(/\/[^/]*$/, '/wharf_no_such_database'),
      wrongPasswordUrl: (() => {
        const u = new URL(mysql.url);
        u.password = 's3cr3t-wrong';
        return u.toString();
      })(),
      // contact_wa_id is VARCHAR(64): strict mode refuses a longer one (data too long).
      refusedContact: () => ({ contact: { waId: '9'.repeat(200) } }),
    }),
    true,
  );
});

await postgresSuite('PostgreSQL', (pgdb) => {
  let schema = '';
  test('a schema of its own', async () => {
    schema = new URL(await pgdb.freshSchemaUrl()).searchParams.get('schema') ?? '';
    assert.ok(schema);
  });
  sinkSpec(
    'postgres',
    () => ({
      open: (table, over = {}) =>
        createPostgresTransport({
          url: over.url ?? pgdb.serverUrl,
          table,
          timeoutMs: 10_000,
          maxInFlight: over.maxInFlight ?? 50,
        }),
      table: (name) => `${schema}.${name}`,
      rows: async (table) =>
        (await pgdb.admin.query(`SELECT * FROM ${table}`)).rows.map((r: Record<string, unknown>) => ({
          ...r,
          occurred_at: r['occurred_at'] instanceof Date ? r['occurred_at'].toISOString() : r['occurred_at'],
        })),
      columns: async (table) =>
        (
          await pgdb.admin.query<{ c: string }>(
            'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
            table.split('.'),
          )
        ).rows.map((r) => r.c),
      exec: async (sql) => {
        await pgdb.admin.query(sql);
      },
      missingDatabaseUrl: pgdb.serverUrl.replace(/\/[^/]*$/, '/wharf_no_such_database'),
      wrongPasswordUrl: pgdb.serverUrl,
      // jsonb cannot hold the NUL character: the raw item carrying one is refused (a data exception).
      refusedContact: () => ({ raw: { text: 'nul \u0000 here' } }),
    }),
    false,
  );
});
