import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { afterSql, pageSql, type EventSql } from '../../src/adapters/sqlite/event-queries.js';
import type { EventQuery } from '../../src/ports/read-store.js';
import { STATS_SQL } from '../../src/adapters/stats-sql.js';
import { tempDir } from '../helpers/temp-dir.js';

// The events table carries one index per read API filter, and each costs every processed event an
// insert (docs/benchmarks.md "Processing"): whatever shape they take, every filter the API offers
// must stay served by an index (a search, never a walk of the whole table), and the pages must come
// in id order without sorting every matching event.

const FILTERS: Record<string, EventQuery> = {
  'an exact name': { name: 'status.read' },
  'a name prefix': { name: 'status.' },
  'a phone number id': { phoneNumberId: '106540352242922' },
  'a contact': { contact: '+16505551234' },
  'a wamid': { wamid: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA' },
  'a name and a phone number id': { name: 'message.text', phoneNumberId: '106540352242922' },
  'a name and a contact': { name: 'message.text', contact: '16505551234' },
  'a wamid and a name': { wamid: 'wamid.X', name: 'status.read' },
  'a time and a name': { since: 1_767_225_600_000, name: 'status.read' },
};

/** A name prefix is a range of the name index, so its matches are sorted by id; so are the ORs. */
const SORTS = new Set(['a name prefix', 'a contact', 'a wamid', 'a wamid and a name']);

function plan(db: SqliteDatabase, q: EventSql): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as Array<{ detail: string }>;
  return rows.map((r) => r.detail).join(' | ');
}

function withMigratedDatabase(fn: (db: SqliteDatabase) => void): void {
  const dir = tempDir('wharf-plans-');
  const db = openDatabase(join(dir.path, 'wharf.db'));
  try {
    migrate(db, 0);
    fn(db);
  } finally {
    db.close();
    dir.cleanup();
  }
}

const cursor = Buffer.from('1000').toString('base64url');

test('every read API filter of events is an index search, for a page, the next page and the stream', () => {
  withMigratedDatabase((db) => {
    for (const [what, f] of Object.entries(FILTERS)) {
      for (const [read, q] of [
        ['first page', pageSql({ ...f, limit: 50 })],
        ['next page', pageSql({ ...f, limit: 50, cursor })],
        ['stream', afterSql('1000', f, 500)],
      ] as const) {
        const p = plan(db, q);
        assert.match(p, /SEARCH events USING (COVERING )?INDEX/, `${what}, ${read}: ${p}`);
        assert.doesNotMatch(p, /SCAN events/, `${what}, ${read}: ${p}`);
        if (!SORTS.has(what)) assert.doesNotMatch(p, /TEMP B-TREE/, `${what}, ${read}: ${p}`);
      }
    }
  });
});

test("a name prefix's stream read searches each of its names from the id on, not every event of the prefix", () => {
  withMigratedDatabase((db) => {
    // A range of names is walked whole and sorted, however recent the id (the whole `status.` history
    // on every read of the tail); each name of the prefix, an equality, is searched from the id on.
    for (const name of ['status.', 'message.', 'wharf.'])
      for (const f of [{ name }, { name, since: 1_767_225_600_000 }]) {
        const p = plan(db, afterSql('1000', f, 500));
        assert.match(
          p,
          /SEARCH events USING (COVERING )?INDEX events_name \(name=\? AND rowid>\?\)/,
          `${name}: ${p}`,
        );
        assert.doesNotMatch(p, /name>\?/, `${name}: ${p}`);
      }
  });
});

test('without a filter, or with a time alone, events are read in id order from the cursor, unsorted', () => {
  withMigratedDatabase((db) => {
    for (const f of [{}, { since: 1_767_225_600_000 }])
      for (const q of [pageSql({ ...f, limit: 50, cursor }), afterSql('1000', f, 500)]) {
        const p = plan(db, q);
        assert.match(p, /SEARCH events USING INTEGER PRIMARY KEY \(rowid[<>]\?\)/, p);
        assert.doesNotMatch(p, /TEMP B-TREE/, p);
      }
  });
});

test('retention, replay and the stats find events by delivery and by time through an index', () => {
  withMigratedDatabase((db) => {
    const byDelivery = plan(db, {
      sql: 'SELECT id FROM events WHERE delivery_id IN (SELECT value FROM json_each(?))',
      params: ['[1,2,3]'],
    });
    assert.match(byDelivery, /SEARCH events USING (COVERING )?INDEX events_delivery/, byDelivery);
    const byTime = plan(db, {
      sql: 'SELECT * FROM events WHERE occurred_at >= ? AND occurred_at < ? AND id > ? ORDER BY id LIMIT ?',
      params: [0, 1, 0, 10],
    });
    assert.match(byTime, /SEARCH events USING INDEX events_occurred_at/, byTime);
    const stats = plan(db, { sql: STATS_SQL.events, params: [60_000, 60_000, 0] });
    assert.match(stats, /SEARCH events USING INDEX events_occurred_at/, stats);
  });
});
