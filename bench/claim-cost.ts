/**
 * The dispatch writer thread's cost of a claim's rows, and the main thread's cost of parsing them,
 * per claimed row, on real processed events (three statuses per delivery, as bench:forward sends):
 *
 *   node --import tsx bench/claim-cost.ts fill /tmp/wharf-claim.db 4000       # deliveries, processed
 *   node --import tsx bench/claim-cost.ts fill /tmp/wharf-claim.db 4000 mix   # every scenario in turn
 *   node --import tsx bench/claim-cost.ts run /tmp/wharf-claim.db 5        # rounds over every row
 *
 * `run` builds the claim text (claimedRowsJson) of every outbox row in claims of 1,000 rows, then
 * parses each text as the main thread does (parseClaimedRows) and makes each row's format `event`
 * body, and prints the CPU time of this thread per row for each step (from /proc: clock ticks, so
 * only runs of tens of thousands of rows mean anything). Compare two versions on copies of one file.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../src/adapters/sqlite/open-database.js';
import { fillInbox } from './fill-inbox.js';
import { SqliteProcessingStore } from '../src/adapters/sqlite/processing-store.js';
import { claimedRowsJson, parseClaimedRows } from '../src/adapters/sqlite/claimed-rows-json.js';
import { Processor } from '../src/app/processor.js';
import { eventBody } from '../src/app/outbound-message.js';
import { createLogger } from '../src/observability/create-logger.js';

const [mode, path, countArg, workload] = process.argv.slice(2);
if ((mode !== 'fill' && mode !== 'run') || path === undefined) {
  console.error('usage: claim-cost.ts fill <db> <deliveries> [mix] | run <db> [rounds]');
  process.exit(2);
}

/** CPU time of this thread so far, µs (user + system clock ticks of 10 ms). */
const threadCpuUs = () => {
  const f = (readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
};

if (mode === 'fill') {
  const count = Number(countArg ?? 4000);
  const db = fillInbox(path, count, workload);
  db.close();
  const store = new SqliteProcessingStore(path);
  const processor = new Processor({
    store,
    targets: [{ id: 'destination:bench', wants: () => true }],
    logger: createLogger('silent'),
    batchSize: 2000,
    leaseMs: 60_000,
    targetBatchMs: Infinity,
  });
  const events = await processor.drain();
  await store.close();
  console.log(`${count} deliveries, ${events} events with an outbox row each, in ${path}`);
} else {
  const db = openDatabase(path);
  const ids = db.prepare('SELECT id FROM outbox ORDER BY id').pluck().all() as number[];
  const CLAIM = 1000;
  for (let r = 0; r < Number(countArg ?? 5); r++) {
    const texts: Array<ReturnType<typeof claimedRowsJson>> = [];
    const c0 = threadCpuUs();
    for (let i = 0; i < ids.length; i += CLAIM) texts.push(claimedRowsJson(db, ids.slice(i, i + CLAIM)));
    const c1 = threadCpuUs();
    let bytes = 0;
    for (const text of texts) {
      for (const row of parseClaimedRows(text))
        bytes += eventBody({ id: row.eventId ?? '', event: row.event }).length;
    }
    const c2 = threadCpuUs();
    const per = (us: number) => (us / ids.length).toFixed(2);
    console.log(
      `${ids.length} rows: claim text ${per(c1 - c0)} µs per row (writer thread), ` +
        `parse + event body ${per(c2 - c1)} µs per row (main thread); ${(bytes / ids.length).toFixed(0)} B per body`,
    );
  }
  db.close();
}
