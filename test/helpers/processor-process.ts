/**
 * A processor in its own process (the crash test kills it with SIGKILL). Usage:
 *   node --import tsx test/helpers/processor-process.ts <db path> <lease ms> <batch size>
 * Prints `claimed <n>` after each claim (so the test can kill mid-batch) and `done` once the inbox is empty.
 */
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { Processor } from '../../src/app/processor.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { ProcessingStore } from '../../src/ports/processing-store.js';

const [path, leaseMs, batchSize] = process.argv.slice(2);
if (!path || !leaseMs || !batchSize)
  throw new Error('usage: processor-process.ts <db> <leaseMs> <batchSize>');
const store = new SqliteProcessingStore(path);
const announcing: ProcessingStore = Object.assign(Object.create(store) as ProcessingStore, {
  async claimBatch(...args: Parameters<ProcessingStore['claimBatch']>) {
    const claimed = await store.claimBatch(...args);
    if (claimed.length > 0) process.stdout.write(`claimed ${claimed.length}\n`);
    return claimed;
  },
});
const processor = new Processor({
  store: announcing,
  targets: [{ id: 'all', wants: () => true }],
  logger: createLogger('silent'),
  batchSize: Number(batchSize),
  leaseMs: Number(leaseMs),
  targetBatchMs: Infinity,
});
const db = openDatabase(path, { readonly: true });
// Not yet processed: no final outcome row (migration 0008).
const left = db
  .prepare(
    `SELECT count(*) FROM deliveries d WHERE NOT EXISTS
       (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = d.id AND o.state IN ('processed', 'invalid'))`,
  )
  .pluck();
// Deliveries leased by a killed run become claimable when their lease expires: keep going until none is left.
while ((left.get() as number) > 0) {
  await processor.drain();
  await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write('done\n');
await store.close();
