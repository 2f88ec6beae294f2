/**
 * Crash-safe processing (design §6): a processor killed with SIGKILL in the middle of a batch and
 * restarted ends with exactly the state of an uninterrupted run — events, state and outbox rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { createLoadBodies } from '../../src/simulator/load-bodies.js';
import { serializeLikeMeta } from '../../src/simulator/escape-json.js';
import { insertDelivery, snapshotState } from '../helpers/processing-harness.js';
import { tempDir } from '../helpers/temp-dir.js';

const SCRIPT = join(import.meta.dirname, '..', 'helpers', 'processor-process.ts');
const LEASE_MS = 500;
const BATCH = 200;

/** Runs the processor process; with `killAfterClaims`, SIGKILLs it right after that many claims. */
function runProcessor(db: string, killAfterClaims?: number): Promise<'done' | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, db, String(LEASE_MS), String(BATCH)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let claims = 0;
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      claims += chunk.split('claimed').length - 1;
      if (killAfterClaims !== undefined && claims >= killAfterClaims) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('done')) resolve('done');
      else reject(new Error(`processor exited with ${code ?? signal}`));
    });
  });
}

function count(path: string, sql: string): number {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

test('a processor killed with SIGKILL mid-batch and restarted ends in the state of an uninterrupted run', async () => {
  const dir = tempDir('wharf-crash-');
  try {
    const crashed = join(dir.path, 'crashed.db');
    const clean = join(dir.path, 'clean.db');
    const db = openDatabase(crashed);
    migrate(db, 0);
    const body = createLoadBodies({ seed: 7, now: 1767225600 });
    // Statuses for fresh wamids, and every tenth delivery again (retries carrying the same events).
    for (let i = 0; i < 2000; i++) insertDelivery(db, serializeLikeMeta(body(i)));
    for (let i = 0; i < 2000; i += 10) insertDelivery(db, serializeLikeMeta(body(i)));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    copyFileSync(crashed, clean);

    assert.equal(await runProcessor(clean), 'done');

    for (const claims of [1, 3, 2]) {
      assert.equal(await runProcessor(crashed, claims), 'killed');
      // Killed after a claim and before that batch committed: its deliveries are still leased.
      assert.ok(count(crashed, 'SELECT count(*) FROM delivery_leases') > 0, 'killed mid-batch');
    }
    assert.equal(await runProcessor(crashed), 'done');

    assert.equal(
      count(
        crashed,
        `SELECT count(*) FROM deliveries d WHERE NOT EXISTS
           (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = d.id AND o.state = 'processed')`,
      ),
      0,
    );
    const a = openDatabase(crashed, { readonly: true });
    const b = openDatabase(clean, { readonly: true });
    try {
      const after = snapshotState(a);
      const reference = snapshotState(b);
      assert.ok((reference['events']?.length ?? 0) >= 6000);
      assert.deepEqual(after, reference);
    } finally {
      a.close();
      b.close();
    }
  } finally {
    dir.cleanup();
  }
});
