import { Command } from 'commander';
import { millisecondsFlag, urlFlag } from '../parse-flag.js';
import { valueOption } from '../value-option.js';
import { eventsFlag, matchesEvents } from '../events-flag.js';
import type { ParsedEventPatterns } from '../../events/event-pattern.js';
import { wharfBase, WharfApiError, type WharfApi } from '../wharf-api.js';
import { followStream, type StreamState } from '../listen/follow-stream.js';
import { createForwarder, newSecret, secretFlag } from '../listen/forward-event.js';
import { eventLine } from '../listen/event-line.js';
import { cliTarget } from './cli-target.js';

export interface ListenFlags {
  forwardTo?: string;
  events?: string;
  from?: string;
  apiToken?: string;
  secret?: string;
  after?: string;
  timeout?: string;
}

export interface ListenIo {
  readonly signal: AbortSignal;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * `wharf listen --forward-to <url>`: follows a running Wharf's event stream and forwards each event,
 * signed the Standard Webhooks way, to a local URL, printing one line per event (like
 * `stripe listen`). Stops on Ctrl-C.
 */
export function listenCommand(): Command {
  return new Command('listen')
    .description("forward a running Wharf's events, signed, to a local URL, one line per event")
    .requiredOption('--forward-to <url>', 'local URL that receives each event as a signed POST')
    .option('--events <names>', 'only these events: names or prefixes ending in ".", comma-separated')
    .option('--from <wharf url>', 'the running Wharf (default: http://127.0.0.1:$PORT from config)')
    .option('--api-token <token>', 'the API token of that Wharf (default: WHARF_API_TOKEN)')
    .option('--secret <whsec_…>', 'signing secret to use (default: a new one, printed at start)')
    .option('--after <event id>', 'start after this event id instead of at the next event')
    .addOption(valueOption('--timeout <ms>', 'how long the local URL may take to answer', '10000'))
    .action(async (flags: ListenFlags) => {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        process.exitCode = await runListen(flags, {
          signal: stop.signal,
          out: (l) => void process.stdout.write(`${l}\n`),
          err: (l) => void process.stderr.write(`${l}\n`),
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

interface ListenPlan {
  readonly api: WharfApi;
  readonly forwardTo: string;
  readonly events: ParsedEventPatterns | undefined;
  readonly secret: string;
  readonly secretGiven: boolean;
  readonly after: string | undefined;
  readonly timeoutMs: number;
}

function plan(flags: ListenFlags): ListenPlan {
  const forwardTo = urlFlag('forward-to', flags.forwardTo ?? '');
  const events = eventsFlag(flags.events);
  if (flags.after !== undefined && !/^\d+$/.test(flags.after))
    throw new Error(`--after must be an event id (digits), got "${flags.after}"`);
  const timeoutMs = millisecondsFlag('timeout', flags.timeout) ?? 10_000;
  const secret = flags.secret === undefined ? newSecret() : secretFlag(flags.secret);
  const target = flags.from === undefined || flags.apiToken === undefined ? cliTarget() : undefined;
  const base = wharfBase(flags.from ?? target?.apiBase ?? '');
  const api = { base, token: flags.apiToken ?? target?.apiToken };
  return {
    api,
    forwardTo,
    events,
    secret,
    secretGiven: flags.secret !== undefined,
    after: flags.after,
    timeoutMs,
  };
}

/** Runs until `io.signal` aborts (0) or Wharf refuses or cannot be reached at start (1); bad flags: 2. */
export async function runListen(flags: ListenFlags, io: ListenIo): Promise<number> {
  let p: ListenPlan;
  try {
    p = plan(flags);
  } catch (err) {
    io.err(`wharf listen: ${(err as Error).message}`);
    return 2;
  }
  const forwarder = createForwarder({ url: p.forwardTo, secret: p.secret, timeoutMs: p.timeoutMs });
  let ready = false;
  const onState = (s: StreamState) => {
    if (s.kind === 'lost') io.err(`wharf listen: ${s.reason}; reconnecting to ${p.api.base}…`);
    else if (!ready) {
      ready = true;
      io.out(`Ready! Forwarding events from ${p.api.base} to ${p.forwardTo}`);
      io.out(
        p.secretGiven
          ? 'Signing with the secret given by --secret (Standard Webhooks).'
          : `Your signing secret is ${p.secret} (Standard Webhooks; pass --secret to keep it across runs)`,
      );
    } else io.err(`wharf listen: reconnected, resuming after event ${s.after ?? 'none'}`);
  };
  try {
    await followStream({
      api: p.api,
      ...(p.after === undefined ? {} : { after: p.after }),
      signal: io.signal,
      onState,
      onEvent: async (e) => {
        if (!matchesEvents(p.events, e.name)) return;
        const answer = await forwarder.forward(e.id, e.data);
        io.out(eventLine(parseEvent(e.data), answer, Date.now()));
      },
    });
    return 0;
  } catch (err) {
    if (!(err instanceof WharfApiError)) throw err;
    io.err(`wharf listen: ${err.message}`);
    return 1;
  }
}

/** The event JSON of a stream frame; a frame that is not JSON still gets its line. */
function parseEvent(data: string): Record<string, unknown> {
  try {
    const v = JSON.parse(data) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
