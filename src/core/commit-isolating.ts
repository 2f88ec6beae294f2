/**
 * A batch's commit that isolates a delivery whose data trips a bug in the commit: when the commit
 * throws (not for a storage failure, `isStorageFailure`, which is thrown on), the batch is committed
 * again one delivery at a time, so only the one that throws is counted invalid or failed
 * (rejection()). Pure apart from `commit`; used by the processor (src/app/process-batch.ts) and by a
 * storage thread that processes batches itself (src/adapters/sqlite/processing-writer-worker.ts).
 */
import type { BatchResult, CommitOutcome } from '../ports/processing-store.js';
import { rejection, type Rejected } from './prepare-batch.js';

export async function commitIsolating(
  commit: (result: BatchResult) => Promise<CommitOutcome>,
  isStorageFailure: (err: unknown) => boolean,
  result: BatchResult,
  bodies: ReadonlyMap<string, Uint8Array>,
): Promise<CommitOutcome> {
  try {
    return await commit(result);
  } catch (err) {
    if (isStorageFailure(err)) throw err;
    if (result.processed.length <= 1 && result.invalid.length + result.failed.length === 0) {
      const invalid: Rejected[] = [];
      const failed: Rejected[] = [];
      for (const delivery of result.processed) {
        const r = rejection(delivery.deliveryId, bodies.get(delivery.deliveryId), err, 'commit failed');
        if ('invalid' in r) invalid.push(r.invalid);
        else failed.push(r.failed);
      }
      return commit({ ...result, processed: [], invalid, failed });
    }
    // A bug triggered by one delivery's data: commit them one by one so only that one is counted.
    const all = { committed: [] as CommitOutcome['committed'][number][], duplicates: 0, outboxRows: 0 };
    const parts: BatchResult[] = [
      ...result.processed.map((delivery) => ({ ...result, processed: [delivery], invalid: [], failed: [] })),
      { ...result, processed: [] },
    ];
    for (const part of parts) {
      const outcome = await commitIsolating(commit, isStorageFailure, part, bodies);
      all.committed.push(...outcome.committed);
      all.duplicates += outcome.duplicates;
      all.outboxRows += outcome.outboxRows;
    }
    return all;
  }
}
