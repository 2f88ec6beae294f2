import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { sqlitePath } from '../../adapters/sqlite/open-database.js';
import { loadConfig } from '../../config/load-config.js';
import { openOutbox } from '../../app/start-handlers.js';
import type { Outbox } from '../../ports/outbox.js';
import { parseRange, type ReplayRequest } from '../../core/replay-request.js';

interface ReplayFlags {
  deadLetter?: string;
  delivery?: string;
  from?: string;
  to?: string;
  rederiveOnly?: boolean;
  json?: boolean;
}

type Job = { readonly kind: 'dead-letter'; readonly id: string } | ReplayRequest;

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

function parseFlags(f: ReplayFlags): Job {
  const chosen = [
    f.deadLetter !== undefined,
    f.delivery !== undefined,
    f.from !== undefined || f.to !== undefined,
  ];
  if (chosen.filter(Boolean).length !== 1)
    throw new Error('give exactly one of --dead-letter <id>, --delivery <id>, or --from <iso> --to <iso>');
  const mode = f.rederiveOnly ? 'rederive' : 'redeliver';
  if (f.deadLetter !== undefined) {
    if (f.rederiveOnly) throw new Error('--rederive-only applies to deliveries, not to a dead letter');
    if (!/^\d+$/.test(f.deadLetter)) throw new Error('--dead-letter must be a dead-letter id (digits)');
    return { kind: 'dead-letter', id: f.deadLetter };
  }
  if (f.delivery !== undefined) {
    if (!/^\d+$/.test(f.delivery)) throw new Error('--delivery must be a delivery id (digits)');
    return { kind: 'delivery', deliveryId: f.delivery, mode };
  }
  const range = parseRange(f.from, f.to, mode);
  if (!range.ok) throw new Error(range.error.replace(/\b(from|to)\b/g, '--$1'));
  return range.value;
}

/** Runs one replay; returns the result to print and whether it did what was asked. */
async function execute(
  outbox: Outbox,
  job: Job,
  now: number,
): Promise<{ ok: boolean; result: Record<string, unknown> }> {
  if (job.kind === 'dead-letter') {
    const r = await outbox.replayDeadLetter(job.id, now);
    if (r.outcome === 'not_found') return { ok: false, result: { error: `no dead letter ${job.id}` } };
    if (r.outcome === 'not_dead')
      return { ok: false, result: { error: `outbox row ${job.id} is ${r.row.state}, not a dead letter` } };
    return { ok: true, result: { replayed: job.id, target: r.row.target, event: r.row.eventKey } };
  }
  const s =
    job.kind === 'delivery'
      ? await outbox.requeueForDeliveries([job.deliveryId], job.mode, now)
      : await outbox.replayRange(job.from, job.to, job.mode, now);
  if (job.kind === 'delivery' && s.deliveries === 0)
    return { ok: false, result: { error: `no delivery ${job.deliveryId}` } };
  if (job.kind === 'range' && s.deliveries === 0) {
    const [from, to] = [job.from, job.to].map((t) => new Date(t).toISOString());
    return { ok: false, result: { error: `no delivery was received between ${from} and ${to}` } };
  }
  return { ok: true, result: { mode: job.mode, deliveries: s.deliveries, outbox_rows: s.outboxRows } };
}

async function runReplay(flags: ReplayFlags): Promise<number> {
  let job: Job;
  try {
    job = parseFlags(flags);
  } catch (err) {
    console.error(`wharf replay: ${(err as Error).message}`);
    return 2;
  }
  const config = loadConfig();
  // Opening a SQLite file creates it: a typo in DATABASE_URL would leave an empty database behind
  // and a misleading "run wharf migrate first".
  if (config.databaseUrl.startsWith('sqlite:') && !existsSync(sqlitePath(config.databaseUrl))) {
    console.error(
      `wharf replay: the SQLite database of DATABASE_URL does not exist: ${sqlitePath(config.databaseUrl)} (check DATABASE_URL)`,
    );
    return 1;
  }
  const outbox = openOutbox(config, { operator: true });
  if (!outbox) {
    console.error('wharf replay: no outbox adapter for this DATABASE_URL (sqlite:… or postgres://…)');
    return 2;
  }
  try {
    const { ok, result } = await execute(outbox, job, Date.now());
    if (flags.json) console.log(JSON.stringify(result));
    else console.log(describe(result));
    return ok ? 0 : 1;
  } catch (err) {
    const msg = (err as Error).message;
    console.error(
      `wharf replay: ${msg}${/no such (table|column)|relation .* does not exist/.test(msg) ? ' (run wharf migrate first)' : ''}`,
    );
    return 1;
  } finally {
    await outbox.close();
  }
}

function describe(r: Record<string, unknown>): string {
  if ('error' in r) return String(r['error']);
  if ('replayed' in r)
    return `dead letter ${r['replayed']} (${r['event']} → ${r['target']}) is pending again`;
  const rows = r['mode'] === 'redeliver' ? `, ${r['outbox_rows']} hand-off(s) re-queued` : ' (rederive only)';
  return `${r['deliveries']} deliveries marked for processing again${rows}`;
}
