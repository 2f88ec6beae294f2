import type { PruneRequest, Retention } from '../ports/retention.js';
import { addPruneCounts, NO_PRUNED_ROWS, type PruneCounts } from '../core/prune-counts.js';

/**
 * One whole prune run, batch after batch until the port says there is nothing more to look at
 * (wharf prune). A dry run walks the same batches without removing anything, so it counts what a
 * real run at the same moment would remove.
 */
export async function pruneAll(
  retention: Retention,
  request: Omit<PruneRequest, 'after'>,
): Promise<PruneCounts> {
  let total = NO_PRUNED_ROWS;
  let after: string | undefined;
  for (;;) {
    const batch = await retention.prune(after === undefined ? request : { ...request, after });
    total = addPruneCounts(total, batch.counts);
    if (batch.next === null) return total;
    after = batch.next;
  }
}
