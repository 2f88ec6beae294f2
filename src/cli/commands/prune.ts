import { Command } from 'commander';
import { loadConfig, type WharfConfig } from '../../config/load-config.js';
import { openStorage } from '../../server/open-storage.js';
import { pruneAll } from '../../app/prune-all.js';
import { retentionCutoffs, type RetentionCutoffs } from '../../core/retention-cutoffs.js';
import { PRUNED_TABLES, type PruneCounts } from '../../core/prune-counts.js';

interface PruneFlags {
  dryRun?: boolean;
  json?: boolean;
}

/** Batches of the same size as the background prune: a running Wharf keeps its lock waits short. */
const BATCH_SIZE = 100;

/**
 * `wharf prune`: what the background retention does (docs/operations.md#retention), now, on the
 * database of DATABASE_URL, beside a running Wharf or with none. Prints the rows removed per table.
 */
export function pruneCommand(): Command {
  return new Command('prune')
    .description('remove processed deliveries and their events older than WHARF_RETENTION_DAYS')
    .option('--dry-run', 'count what would be removed, remove nothing')
    .option('--json', 'print the counts as JSON')
    .action(async (flags: PruneFlags) => {
      process.exitCode = await runPrune(flags);
    });
}

async function runPrune(flags: PruneFlags): Promise<number> {
  const config = loadConfig();
  const dryRun = flags.dryRun === true;
  const cutoffs = retentionCutoffs(config, Date.now());
  if (cutoffs === null) {
    print(flags, config, dryRun, null, { deliveries: 0, events: 0, outbox: 0 });
    return 0;
  }
  const storage = openStorage(config, { operator: 'prune' });
  // Opening a SQLite file creates it: a typo in DATABASE_URL would leave an empty database behind.
  const absent = storage.absentFile();
  if (absent !== null) {
    console.error(
      `wharf prune: the ${storage.label} database of DATABASE_URL does not exist: ${absent} (check DATABASE_URL)`,
    );
    return 1;
  }
  try {
    print(
      flags,
      config,
      dryRun,
      cutoffs,
      await pruneAll(storage.retention, { ...cutoffs, batchSize: BATCH_SIZE, dryRun }),
    );
    return 0;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(
      `wharf prune: ${msg}${/no such (table|column)|relation .* does not exist/.test(msg) ? ' (run wharf migrate first)' : ''}`,
    );
    return 1;
  } finally {
    await storage.close();
  }
}

function print(
  flags: PruneFlags,
  config: WharfConfig,
  dryRun: boolean,
  cutoffs: RetentionCutoffs | null,
  counts: PruneCounts,
): void {
  if (flags.json) {
    const before = cutoffs === null ? null : new Date(Math.min(cutoffs.olderThan, cutoffs.protectAfter));
    console.log(
      JSON.stringify({
        dry_run: dryRun,
        retention_days: config.retentionDays,
        received_before: before?.toISOString() ?? null,
        ...counts,
      }),
    );
    return;
  }
  if (cutoffs === null) {
    console.log('retention is off (WHARF_RETENTION_DAYS=0): nothing was removed');
    return;
  }
  const before = new Date(Math.min(cutoffs.olderThan, cutoffs.protectAfter)).toISOString();
  console.log(
    `${dryRun ? 'would remove (dry run, nothing changed)' : 'removed'}, received before ${before}:`,
  );
  for (const table of PRUNED_TABLES) console.log(`  ${table.padEnd(10)} ${counts[table]}`);
}
