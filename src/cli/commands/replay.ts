import { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { openStorage } from '../../server/open-storage.js';
import { replay, type ReplayJob, type ReplayResult } from '../../app/replay.js';
import { parseRange } from '../../core/replay-request.js';

interface ReplayFlags {
  deadLetter?: string;
  delivery?: string;
  from?: string;
  to?: string;
  rederiveOnly?: boolean;
  json?: boolean;
}

/**
 * `wharf replay`: works on the database directly (DATABASE_URL), so it runs beside a live Wharf or
 * with none. A running worker notices the re-queued work at its next poll (about a second).
 */
export function replayCommand(): Command {
  return new Command('replay')
    .description('replay a dead letter, a delivery, or the deliveries received in a time range')
    .option('--dead-letter <id>', 'hand one dead letter to its handler again')
    .option('--delivery <id>', 'derive one inbox delivery again and re-deliver its events')
    .option('--from <iso>', 'start of a time range of deliveries (received at, inclusive)')
    .option('--to <iso>', 'end of the time range (exclusive)')
    .option('--rederive-only', 'derive the deliveries again but do not re-deliver events already handed off')
    .option('--json', 'print the result as JSON')
    .action(async (flags: ReplayFlags) => {
      process.exitCode = await runReplay(flags);
    });
}

function parseFlags(flags: ReplayFlags): ReplayJob {
  const chosen = [
    flags.deadLetter !== undefined,
    flags.delivery !== undefined,
    flags.from !== undefined || flags.to !== undefined,
  ];
  if (chosen.filter(Boolean).length !== 1)
    throw new Error('give exactly one of --dead-letter <id>, --delivery <id>, or --from <iso> --to <iso>');
  const mode = flags.rederiveOnly ? 'rederive' : 'redeliver';
  if (flags.deadLetter !== undefined) {
    if (flags.rederiveOnly) throw new Error('--rederive-only applies to deliveries, not to a dead letter');
    if (!/^\d+$/.test(flags.deadLetter)) throw new Error('--dead-letter must be a dead-letter id (digits)');
    return { kind: 'dead-letter', id: flags.deadLetter };
  }
  if (flags.delivery !== undefined) {
    if (!/^\d+$/.test(flags.delivery)) throw new Error('--delivery must be a delivery id (digits)');
    return { kind: 'delivery', deliveryId: flags.delivery, mode };
  }
  const range = parseRange(flags.from, flags.to, mode);
  if (!range.ok) throw new Error(range.error.replace(/\b(from|to)\b/g, '--$1'));
  return range.value;
}

/** The result as printed with --json: what was replayed, or `error` saying why nothing was. */
function resultJson(result: ReplayResult): Record<string, unknown> {
  switch (result.outcome) {
    case 'replayed':
      return { replayed: result.row.id, target: result.row.target, event: result.row.eventKey };
    case 'not_dead':
      return { error: `outbox row ${result.row.id} is ${result.row.state}, not a dead letter` };
    case 'not_found':
      return {
        error: result.kind === 'dead-letter' ? `no dead letter ${result.id}` : `no delivery ${result.id}`,
      };
    case 'empty': {
      const [from, to] = [result.from, result.to].map((t) => new Date(t).toISOString());
      return { error: `no delivery was received between ${from} and ${to}` };
    }
    case 'requeued':
      return {
        mode: result.mode,
        deliveries: result.summary.deliveries,
        outbox_rows: result.summary.outboxRows,
      };
  }
}

async function runReplay(flags: ReplayFlags): Promise<number> {
  let job: ReplayJob;
  try {
    job = parseFlags(flags);
  } catch (err) {
    console.error(`wharf replay: ${(err as Error).message}`);
    return 2;
  }
  const storage = openStorage(loadConfig(), { operator: 'replay' });
  // Opening a SQLite file creates it: a typo in DATABASE_URL would leave an empty database behind
  // and a misleading "run wharf migrate first".
  const absent = storage.absentFile();
  if (absent !== null) {
    console.error(
      `wharf replay: the ${storage.label} database of DATABASE_URL does not exist: ${absent} (check DATABASE_URL)`,
    );
    return 1;
  }
  try {
    const result = await replay(storage.outbox, job, Date.now());
    console.log(flags.json ? JSON.stringify(resultJson(result)) : describe(result));
    return result.outcome === 'replayed' || result.outcome === 'requeued' ? 0 : 1;
  } catch (err) {
    const msg = (err as Error).message;
    console.error(
      `wharf replay: ${msg}${/no such (table|column)|relation .* does not exist/.test(msg) ? ' (run wharf migrate first)' : ''}`,
    );
    return 1;
  } finally {
    await storage.close();
  }
}

/** The result in a sentence; a failure says why nothing was replayed. */
function describe(result: ReplayResult): string {
  switch (result.outcome) {
    case 'replayed':
      return `dead letter ${result.row.id} (${result.row.eventKey} → ${result.row.target}) is pending again`;
    case 'requeued': {
      const { deliveries, outboxRows } = result.summary;
      const rows = result.mode === 'redeliver' ? `, ${outboxRows} hand-off(s) re-queued` : ' (rederive only)';
      return `${deliveries} deliveries marked for processing again${rows}`;
    }
    default:
      return String(resultJson(result)['error']);
  }
}
