/**
 * The dispatch writer thread's statements per delivered row (dispatch-writer-worker.ts), on real
 * processed events in a file filled by bench/claim-cost.ts: claims of 1,000 rows through
 * SqliteOutbox (the lease `UPDATE` and the claim's JSON text), the delivered mark of each claim, and
 * the attempt log of each claim (one attempt per row), as a drain to a batch destination writes them.
 *
 *   node --import tsx bench/claim-cost.ts fill /tmp/wharf-claim.db 4000
 *   node --import tsx bench/dispatch-writer-cost.ts /tmp/wharf-claim.db 3     # rounds over every row
 *
 * Prints CPU µs per row of each step (process.cpuUsage: this thread and V8's helpers). Each round
 * puts every row back to pending first (not measured). Under `valgrind --tool=callgrind` compare two
 * versions on copies of one file (the counts are repeatable on a busy machine).
 */
import { SqliteOutbox } from '../src/adapters/sqlite/outbox.js';
import { SqliteDestinationStore, attemptsJson } from '../src/adapters/sqlite/destination-store.js';
import { openDatabase } from '../src/adapters/sqlite/open-database.js';
import type { NewAttempt } from '../src/ports/destination-store.js';

const [path, roundsArg] = process.argv.slice(2);
if (path === undefined) {
  console.error('usage: dispatch-writer-cost.ts <db filled by claim-cost.ts> [rounds]');
  process.exit(2);
}
const TARGET = 'destination:bench';
const CLAIM = 1000;
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

const db = openDatabase(path);
const outbox = new SqliteOutbox(path, { busyTimeoutMs: 0 });
const log = new SqliteDestinationStore(path, { busyTimeoutMs: 0, synchronous: 'NORMAL' });
const total = db.prepare('SELECT count(*) FROM outbox WHERE target = ?').pluck().get(TARGET) as number;

for (let r = 0; r < Number(roundsArg ?? 3); r++) {
  db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = 0, lease_owner = NULL, lease_until = NULL,
       next_attempt_at = created_at WHERE target = ?`,
  ).run(TARGET);
  db.prepare('DELETE FROM destination_attempts').run();
  const spent = { claim: 0, delivered: 0, attempts: 0 };
  let rows = 0;
  for (;;) {
    const now = Date.now();
    let c0 = cpu();
    const claim = await outbox.claimDueAsJson({
      workerId: 'bench',
      perTarget: [{ target: TARGET, limit: CLAIM }],
      leaseMs: 60_000,
      now,
    });
    spent.claim += cpu() - c0;
    const ids = (JSON.parse(claim.rows) as Array<{ id: string; eventId: string }>).map((x) => x.id);
    if (ids.length === 0) break;
    rows += ids.length;
    c0 = cpu();
    await outbox.markDelivered('bench', ids, now);
    spent.delivered += cpu() - c0;
    const attempts: NewAttempt[] = ids.map((id) => ({
      destinationId: 'bench',
      outboxId: id,
      eventId: id,
      eventName: 'message.status.delivered',
      attempt: 1,
      ok: true,
      status: null,
      durationMs: 12,
      error: null,
      responseExcerpt: null,
      bodyExcerpt: null,
      at: now,
    }));
    const json = attemptsJson(attempts);
    c0 = cpu();
    log.recordAttemptsJson(json);
    spent.attempts += cpu() - c0;
  }
  const per = (us: number) => (us / rows).toFixed(2);
  console.log(
    `${rows} of ${total} rows: claim (lease + JSON text) ${per(spent.claim)}, delivered ${per(spent.delivered)}, ` +
      `attempt log ${per(spent.attempts)}, all ${per(spent.claim + spent.delivered + spent.attempts)} µs per row`,
  );
}
await outbox.close();
await log.close();
db.close();
