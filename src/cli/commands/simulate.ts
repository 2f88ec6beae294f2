import { randomInt } from 'node:crypto';
import { Command, Option } from 'commander';
import {
  describeAttempt,
  formatDuration,
  formatMetaDelay,
  formatReport,
} from '../../simulator/format-report.js';
import { createLoadBodies } from '../../simulator/load-bodies.js';
import { formatLoadSummary } from '../../simulator/load-summary.js';
import { runLoad } from '../../simulator/load.js';
import { META_RETRY_WINDOW_MS } from '../../simulator/meta-retry.js';
import { SCENARIOS, findScenarios } from '../../simulator/scenarios/index.js';
import { simulate, type DeliveryReport, type SimulateOptions } from '../../simulator/simulate.js';
import { millisecondsFlag, positiveFlag, urlFlag, wholeFlag } from '../parse-flag.js';
import { cliTarget } from './cli-target.js';
import { valueOption } from '../value-option.js';
import { printJson } from '../print-json.js';
import { probeEndpoint } from '../../simulator/probe-endpoint.js';

interface SimulateFlags {
  url?: string;
  secret?: string;
  scenario: string[];
  list?: boolean;
  seed?: string;
  now?: string;
  timeScale: string;
  maxRetries?: string;
  timeout: string;
  /** true: --retry (follow Meta's schedule even when nothing listens); false: --no-retry; undefined: neither. */
  retry?: boolean;
  rate?: string;
  duration: string;
  connections: string;
  json?: boolean;
  wamid?: string;
  to?: string;
  phoneNumberId?: string;
}

const out = (line: string): boolean => process.stdout.write(line + '\n');
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `wharf simulate`: Meta's webhook sender on your laptop — named scenarios, retries, load. */
export function simulateCommand(): Command {
  return new Command('simulate')
    .description("send signed webhook deliveries exactly as Meta's sender does: scenarios, retries, load")
    .option('--url <endpoint>', 'webhook endpoint (default: the local Wharf from config)')
    .option('--secret <app secret>', 'app secret to sign with (default: first WHATSAPP_APP_SECRET)')
    .addOption(
      new Option('--scenario <name>', 'scenario to send; repeat for several')
        .argParser(collect)
        .default([], 'all'),
    )
    .option('--list', 'list the scenarios with one line each and exit')
    .option('--seed <n>', 'seed for ids and bodies; same seed and --now → same bytes (default: random)')
    .option('--now <unix seconds>', 'base time of the payloads (default: now)')
    .addOption(
      valueOption('--time-scale <n>', "divide Meta's retry delays (3600: an hour becomes a second)", '3600'),
    )
    .option('--max-retries <n>', "stop retrying a delivery after n retries (default: Meta's 7-day schedule)")
    .addOption(
      valueOption('--timeout <ms>', 'per-request timeout; slower answers count as failures', '10000'),
    )
    .option(
      '--retry',
      "retry on Meta's schedule even when nothing listens at the endpoint (without it, a refused connection stops the run at once)",
    )
    .option('--no-retry', 'send each delivery once, never retry')
    .option('--rate <per second>', 'load mode: requests per second')
    .addOption(valueOption('--duration <seconds>', 'load mode: how long to send', '10'))
    .addOption(valueOption('--connections <n>', 'load mode: keep-alive connections', '8'))
    .option('--json', 'print the summary as JSON')
    .option(
      '--wamid <wamid>',
      'sent-message-statuses, otp-undelivered: the wamid a send answered (wharf send, POST /api/v1/messages)',
    )
    .option('--to <phone>', 'sent-message-statuses: the number that message went to')
    .option('--phone-number-id <id>', 'sent-message-statuses: the business number that sent it')
    .action(async (flags: SimulateFlags, command: Command) => {
      const given = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
      process.exitCode = await runSimulate(flags, given);
    });
}

async function runSimulate(flags: SimulateFlags, given: (name: string) => boolean): Promise<number> {
  if (flags.list) {
    const width = Math.max(...SCENARIOS.map((s) => s.name.length));
    for (const s of SCENARIOS) out(`${s.name.padEnd(width)}  ${s.description}`);
    return 0;
  }
  let setup: Setup;
  try {
    setup = resolveSetup(flags, given);
  } catch (err) {
    process.stderr.write(`wharf simulate: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  // Unless asked to follow Meta's schedule whatever happens, an endpoint nobody listens at is said
  // at once instead of retried for minutes (Meta's 7 days ÷ --time-scale) without a hint.
  if (flags.retry !== true) {
    const probe = await probeEndpoint(setup.url, setup.timeoutMs);
    if (!probe.ok) {
      process.stderr.write(
        `wharf simulate: ${setup.url}: ${probe.message}\n` +
          'Nothing was sent. Meta would keep retrying for 7 days; pass --retry to follow its schedule anyway (e.g. to start the server meanwhile).\n',
      );
      return 1;
    }
  }
  return setup.load === undefined ? runScenarios(flags, setup) : runLoadMode(flags, setup, setup.load);
}

interface LoadSetup {
  rate: number;
  durationSeconds: number;
  connections: number;
}

interface Setup {
  url: string;
  secret: string;
  seed: number;
  now: number;
  timeScale: number;
  timeoutMs: number;
  maxRetries: number | undefined;
  /** Set in load mode (--rate). */
  load: LoadSetup | undefined;
  sent: { wamid: string; to: string; phoneNumberId: string } | undefined;
}

/** Every flag is checked here, before anything is sent, so a bad one is a usage error (exit 2). */
function resolveSetup(flags: SimulateFlags, given: (name: string) => boolean): Setup {
  findScenarios(flags.scenario);
  let { url, secret } = flags;
  if (url !== undefined) urlFlag('url', url);
  if (secret === '') throw new Error('--secret is empty: pass the app secret the endpoint checks.');
  if (url === undefined || secret === undefined) {
    const target = cliTarget();
    url ??= target.url;
    secret ??= target.appSecret;
  }
  if (secret === undefined) throw new Error('No app secret: pass --secret or set WHATSAPP_APP_SECRET.');
  return {
    url,
    secret,
    seed: wholeFlag('seed', flags.seed) ?? randomInt(1, 2 ** 31),
    now: wholeFlag('now', flags.now) ?? Math.floor(Date.now() / 1000),
    timeScale: positiveFlag('time-scale', flags.timeScale) ?? 3600,
    timeoutMs: millisecondsFlag('timeout', flags.timeout) ?? 10_000,
    maxRetries: wholeFlag('max-retries', flags.maxRetries),
    load: resolveLoad(flags, given),
    sent: resolveSent(flags),
  };
}

/** --wamid, --to and --phone-number-id go together: the message whose statuses are sent. */
function resolveSent(flags: SimulateFlags): Setup['sent'] {
  const given = [flags.wamid, flags.to, flags.phoneNumberId].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given < 3 || !flags.scenario.includes('sent-message-statuses'))
    throw new Error(
      '--wamid, --to and --phone-number-id go together, with --scenario sent-message-statuses.',
    );
  if (!/^\d+$/.test(flags.phoneNumberId ?? '')) throw new Error('--phone-number-id must be digits.');
  if (!/\d{5,}/.test((flags.to ?? '').replace(/\D/g, ''))) throw new Error('--to must be a phone number.');
  return {
    wamid: flags.wamid as string,
    to: flags.to as string,
    phoneNumberId: flags.phoneNumberId as string,
  };
}

function resolveLoad(flags: SimulateFlags, given: (name: string) => boolean): LoadSetup | undefined {
  const rate = positiveFlag('rate', flags.rate);
  if (rate === undefined) {
    // Without --rate these would be ignored and every scenario sent instead of the load asked for.
    for (const name of ['duration', 'connections'])
      if (given(name)) throw new Error(`--${name} only applies to load mode: add --rate <per second>.`);
    return undefined;
  }
  const durationSeconds = positiveFlag('duration', flags.duration) ?? 10;
  const connections = wholeFlag('connections', flags.connections, { min: 1 }) ?? 8;
  if (Math.floor(rate * durationSeconds) < 1)
    throw new Error('--rate × --duration is less than one request: nothing would be sent.');
  return { rate, durationSeconds, connections };
}

async function runScenarios(flags: SimulateFlags, setup: Setup): Promise<number> {
  const retrying: SimulateOptions['onAttempt'] = (d, attempt, nextMetaDelayMs) => {
    if (nextMetaDelayMs === undefined) return;
    const copy = d.copies > 1 ? ` [copy ${d.copy}/${d.copies}]` : '';
    const here = nextMetaDelayMs === 0 ? '' : ` (${formatDuration(nextMetaDelayMs / setup.timeScale)} here)`;
    process.stderr.write(
      `  … ${d.scenario} · ${d.label}${copy} → ${describeAttempt(attempt)}, retry ${formatMetaDelay(nextMetaDelayMs)}${here}\n`,
    );
  };
  const progress = (d: DeliveryReport): void => {
    const last = d.attempts[d.attempts.length - 1];
    const answer = last?.result.status ?? last?.result.error ?? 'no answer';
    process.stderr.write(`  ${d.acknowledged ? '✔' : '✘'} ${d.scenario} · ${d.label} → ${answer}\n`);
  };
  if (!flags.json) {
    const window = formatDuration(META_RETRY_WINDOW_MS / setup.timeScale);
    process.stderr.write(
      `Sending to ${setup.url} — failed deliveries are retried on Meta's schedule ÷ ${setup.timeScale}` +
        (flags.retry !== false ? ` (Meta's 7 days take ${window} here)\n` : ' (retries off)\n'),
    );
  }
  const report = await simulate({
    url: setup.url,
    secret: setup.secret,
    scenarios: flags.scenario,
    seed: setup.seed,
    now: setup.now,
    timeScale: setup.timeScale,
    retry: flags.retry !== false,
    maxRetries: setup.maxRetries,
    timeoutMs: setup.timeoutMs,
    ...(setup.sent === undefined ? {} : { sent: setup.sent }),
    ...(flags.json ? {} : { onDelivery: progress, onAttempt: retrying }),
  });
  if (flags.json) printJson(report);
  else formatReport(report).forEach(out);
  return report.ok ? 0 : 1;
}

async function runLoadMode(flags: SimulateFlags, setup: Setup, load: LoadSetup): Promise<number> {
  const [scenario] = findScenarios(flags.scenario.slice(0, 1));
  const { connections } = load;
  const summary = await runLoad({
    url: setup.url,
    secret: setup.secret,
    rate: load.rate,
    durationSeconds: load.durationSeconds,
    connections,
    timeoutMs: setup.timeoutMs,
    makeBody: createLoadBodies({ seed: setup.seed, now: setup.now, ...(scenario ? { scenario } : {}) }),
  });
  if (flags.json) printJson(summary);
  else formatLoadSummary(summary, setup.url, connections).forEach(out);
  return summary.ok === summary.sent ? 0 : 1;
}
