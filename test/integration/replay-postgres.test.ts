/**
 * `wharf replay` on PostgreSQL is an operator's command over possibly millions of deliveries: it must
 * not give up on the service's lock and statement timeouts (docs/operations.md, "Timeouts"), which
 * exist so that webhooks and workers never hang; the operator can interrupt it.
 */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { main } from '../../src/cli/main.js';
import { DEFAULT_LOCK_TIMEOUT_MS, openDatabase } from '../../src/adapters/postgres/open-database.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';

await postgresSuite('wharf replay on PostgreSQL', (pg) => {
  test(
    'a range replay waits for a lock held past the lock timeout and then replays',
    { timeout: 30_000 },
    async () => {
      const url = await pg.freshSchemaUrl();
      const schema = new URL(url).searchParams.get('schema') as string;
      const db = openDatabase(url, { max: 1 });
      const holder = await pg.admin.connect();
      const saved = process.env['DATABASE_URL'];
      const out: string[] = [];
      mock.method(console, 'log', (s: string) => void out.push(s));
      mock.method(console, 'error', (s: string) => void out.push(s));
      try {
        await migrate(db, 0);
        const at = Date.parse('2026-01-01T00:00:00Z');
        await db.pool.query(
          `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id, state, processed_at)
           VALUES ($1, 'h1', '\\x7b7d', 2, 0, 'r', 'processed', $1)`,
          [at],
        );
        await holder.query('BEGIN');
        await holder.query(`LOCK TABLE ${schema}.deliveries IN SHARE MODE`);
        process.env['DATABASE_URL'] = url;
        process.exitCode = undefined;
        const replay = main([
          'node',
          'wharf',
          'replay',
          '--from',
          '2025-12-31T00:00:00Z',
          '--to',
          '2026-01-02T00:00:00Z',
        ]);
        await new Promise((r) => setTimeout(r, DEFAULT_LOCK_TIMEOUT_MS + 1000));
        await holder.query('COMMIT');
        assert.equal(await replay, 0, out.join('\n'));
        const r = await db.pool.query<{ state: string }>('SELECT state FROM deliveries');
        assert.deepEqual(r.rows, [{ state: 'pending' }]);
      } finally {
        mock.restoreAll();
        process.exitCode = undefined;
        if (saved === undefined) delete process.env['DATABASE_URL'];
        else process.env['DATABASE_URL'] = saved;
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
        await db.pool.end();
      }
    },
  );
});
