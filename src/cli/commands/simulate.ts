import { randomInt } from 'node:crypto';
import { Command } from 'commander';
import { formatDuration, formatReport } from '../../simulator/format-report.js';
import { createLoadBodies } from '../../simulator/load-bodies.js';
import { formatLoadSummary } from '../../simulator/load-summary.js';
import { runLoad } from '../../simulator/load.js';
import { META_RETRY_WINDOW_MS } from '../../simulator/meta-retry.js';
import { SCENARIOS, findScenarios } from '../../simulator/scenarios/index.js';
import { simulate, type DeliveryReport } from '../../simulator/simulate.js';
import { cliTarget, numberFlag } from './cli-target.js';

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
  retry: boolean;
  rate?: string;
  duration: string;
  connections: string;
  json?: boolean;
}

const out = (line: string): boolean => process.stdout.write(line + '\n');
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `wharf simulate`: Meta's webhook sender on your laptop — named scenarios, retries, load. */
export function simulateCommand(): Command {
  return new Command('simulate')
    .description("Send signed webhook deliveries exactly as Meta's sender does: scenarios, retries, load")
    .option('--url <endpoint>', 'webhook endpoint (default: the local Wharf from config)')
    .option('--secret <app secret>', 'app secret to sign with (default: first WHATSAPP_APP_SECRET)')
    .option('--scenario <name>', 'scenario to send; repeat for several (default: all)', collect, [])
    .option('--list', 'list the scenarios with one line each and exit')
    .option('--seed <n>', 'seed for ids and bodies; same seed and --now → same bytes (default: random)')
    .option('--now <unix seconds>', 'base time of the payloads (default: now)')
    .option('--time-scale <n>', "divide Meta's retry delays (3600: an hour becomes a second)", '3600')
    .option('--max-retries <n>', "stop retrying a delivery after n retries (default: Meta's 7-day schedule)")
    .option('--timeout <ms>', 'per-request timeout; slower answers count as failures', '10000')
    .option('--no-retry', 'send each delivery once, never retry')
    .option('--rate <per second>', 'load mode: requests per second')
    .option('--duration <seconds>', 'load mode: how long to send', '10')
    .option('--connections <n>', 'load mode: keep-alive connections', '8')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: SimulateFlags) => {
      process.exitCode = await runSimulate(flags);
    });
}

async function runSimulate(flags: SimulateFlags): Promise<number> {
  if (flags.list) {
    const width = Math.max(...SCENARIOS.map((s) => s.name.length));
    for (const s of SCENARIOS) out(`${s.name.padEnd(width)}  ${s.description}`);
    return 0;
  }
  let setup: Setup;
  try {
    setup = resolveSetup(flags);
  } catch (err) {
    process.stderr.write(`wharf simulate: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  return setup.rate === undefined ? runScenarios(flags, setup) : runLoadMode(flags, setup, setup.rate);
}

interface Setup {
  url: string;
  secret: string;
  seed: number;
  now: number;
  timeScale: number;
  timeoutMs: number;
  maxRetries: number | undefined;
  rate: number | undefined;
}

function resolveSetup(flags: SimulateFlags): Setup {
  findScenarios(flags.scenario);
  let { url, secret } = flags;
  if (url === undefined || secret === undefined) {
    const target = cliTarget();
    url ??= target.url;
    secret ??= target.appSecret;
  }
  if (secret === undefined) throw new Error('No app secret: pass --secret or set WHATSAPP_APP_SECRET.');
  return {
    url,
    secret,
    seed: numberFlag('seed', flags.seed) ?? randomInt(1, 2 ** 31),
    now: numberFlag('now', flags.now) ?? Math.floor(Date.now() / 1000),
    timeScale: numberFlag('time-scale', flags.timeScale, { min: Number.MIN_VALUE }) ?? 3600,
    timeoutMs: numberFlag('timeout', flags.timeout, { min: 1 }) ?? 10_000,
    maxRetries: numberFlag('max-retries', flags.maxRetries),
    rate: numberFlag('rate', flags.rate, { min: Number.MIN_VALUE }),
  };
}

async function runScenarios(flags: SimulateFlags, setup: Setup): Promise<number> {
  const progress = (d: DeliveryReport): void => {
    const last = d.attempts[d.attempts.length - 1];
    const answer = last?.result.status ?? last?.result.error ?? 'no answer';
    process.stderr.write(`  ${d.acknowledged ? '✔' : '✘'} ${d.scenario} · ${d.label} → ${answer}\n`);
  };
  if (!flags.json) {
    const window = formatDuration(META_RETRY_WINDOW_MS / setup.timeScale);
    process.stderr.write(
      `Sending to ${setup.url} — failed deliveries are retried on Meta's schedule ÷ ${setup.timeScale}` +
        (flags.retry ? ` (Meta's 7 days take ${window} here)\n` : ' (retries off)\n'),
    );
  }
  const report = await simulate({
    url: setup.url,
    secret: setup.secret,
    scenarios: flags.scenario,
    seed: setup.seed,
    now: setup.now,
    timeScale: setup.timeScale,
    retry: flags.retry,
    maxRetries: setup.maxRetries,
    timeoutMs: setup.timeoutMs,
    ...(flags.json ? {} : { onDelivery: progress }),
  });
  if (flags.json) out(JSON.stringify(report, null, 2));
  else formatReport(report).forEach(out);
  return report.ok ? 0 : 1;
}

async function runLoadMode(flags: SimulateFlags, setup: Setup, rate: number): Promise<number> {
  const [scenario] = findScenarios(flags.scenario.slice(0, 1));
  const connections = Math.floor(numberFlag('connections', flags.connections, { min: 1 }) ?? 8);
  const summary = await runLoad({
    url: setup.url,
    secret: setup.secret,
    rate,
    durationSeconds: numberFlag('duration', flags.duration, { min: Number.MIN_VALUE }) ?? 10,
    connections,
    timeoutMs: setup.timeoutMs,
    makeBody: createLoadBodies({ seed: setup.seed, now: setup.now, ...(scenario ? { scenario } : {}) }),
  });
  if (flags.json) out(JSON.stringify(summary, null, 2));
  else formatLoadSummary(summary, setup.url, connections).forEach(out);
  return summary.ok === summary.sent ? 0 : 1;
}
