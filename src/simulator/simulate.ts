import { sendWithMetaRetries, type Attempt } from './meta-retry.js';
import { createScenarioContext } from './scenarios/context.js';
import { findScenarios, SCENARIOS } from './scenarios/index.js';
import type { Scenario, ScenarioExpectation } from './scenarios/types.js';
import { deliveryBytes, sendDelivery } from './send-delivery.js';

export interface SimulateOptions {
  readonly url: string | URL;
  readonly secret: string;
  /** Names or scenario objects; default every scenario in SCENARIOS. */
  readonly scenarios?: ReadonlyArray<string | Scenario>;
  /** The message `sent-message-statuses` sends statuses for (a wamid a send answered). */
  readonly sent?: { readonly wamid: string; readonly to: string; readonly phoneNumberId: string };
  /** Same seed and `now` → same bytes and signatures. Default 1. */
  readonly seed?: number;
  /** Base time, Unix seconds. Default the current time. */
  readonly now?: number;
  /** Divides Meta's retry delays (3600: hours become seconds). Default 3600. */
  readonly timeScale?: number;
  /** False: one attempt per delivery, no retries. */
  readonly retry?: boolean;
  /** Cap on retries per delivery (default Meta's whole 7-day schedule). */
  readonly maxRetries?: number;
  /** Per-request timeout; an answer slower than this counts as a failure and is retried. Default 10 s. */
  readonly timeoutMs?: number;
  /** Called after each delivery, for progress output. */
  readonly onDelivery?: (report: DeliveryReport) => void;
  /** Called after each attempt, with the Meta-time delay before the retry that follows (if any). */
  readonly onAttempt?: (
    delivery: Pick<DeliveryReport, 'scenario' | 'label' | 'copy' | 'copies'>,
    attempt: Attempt,
    nextMetaDelayMs: number | undefined,
  ) => void;
  /** Injected for tests (retry and step delays). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryReport {
  readonly scenario: string;
  readonly label: string;
  readonly bytes: number;
  /** 1-based copy number when a step sends the same bytes several times. */
  readonly copy: number;
  readonly copies: number;
  readonly attempts: readonly Attempt[];
  readonly acknowledged: boolean;
}

export interface ScenarioReport {
  readonly name: string;
  readonly description: string;
  readonly deliveries: readonly DeliveryReport[];
  readonly expect: ScenarioExpectation;
  readonly acknowledged: boolean;
}

export interface SimulationReport {
  readonly endpoint: string;
  readonly seed: number;
  readonly now: number;
  readonly timeScale: number;
  readonly scenarios: readonly ScenarioReport[];
  /** True when every delivery was finally answered with 200. */
  readonly ok: boolean;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the chosen scenarios in order, each delivery with Meta's retry behaviour, and reports everything. */
export async function simulate(options: SimulateOptions): Promise<SimulationReport> {
  const chosen = resolveScenarios(options.scenarios);
  const seed = options.seed ?? 1;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const timeScale = options.timeScale ?? 3600;
  const sleep = options.sleep ?? wait;
  const reports: ScenarioReport[] = [];
  for (const scenario of chosen) {
    const plan = scenario.build(
      createScenarioContext({
        seed,
        now,
        scenario: scenario.name,
        ...(options.sent === undefined ? {} : { sent: options.sent }),
      }),
    );
    const deliveries: DeliveryReport[] = [];
    for (const step of plan.steps) {
      if (step.kind === 'delay') {
        await sleep(step.ms);
        continue;
      }
      const bytes = deliveryBytes(step.body);
      const copies = step.times ?? 1;
      for (let copy = 1; copy <= copies; copy++) {
        const which = { scenario: scenario.name, label: step.label, copy, copies };
        const outcome = await sendWithMetaRetries({
          send: () =>
            sendDelivery({
              url: options.url,
              secret: options.secret,
              body: bytes,
              timeoutMs: options.timeoutMs,
            }),
          retry: options.retry,
          timeScale,
          maxRetries: options.maxRetries,
          sleep,
          ...(options.onAttempt === undefined
            ? {}
            : { onAttempt: (a: Attempt, next: number | undefined) => options.onAttempt?.(which, a, next) }),
        });
        const report = { ...which, bytes: bytes.length, ...outcome };
        deliveries.push(report);
        options.onDelivery?.(report);
      }
    }
    const acknowledged = deliveries.every((d) => d.acknowledged);
    reports.push({
      name: scenario.name,
      description: scenario.description,
      deliveries,
      expect: plan.expect,
      acknowledged,
    });
  }
  const url = new URL(options.url);
  return {
    endpoint: `${url.origin}${url.pathname}`,
    seed,
    now,
    timeScale,
    scenarios: reports,
    ok: reports.every((r) => r.acknowledged),
  };
}

function resolveScenarios(input: SimulateOptions['scenarios']): Scenario[] {
  if (input === undefined || input.length === 0) return [...SCENARIOS];
  return input.map((s) => (typeof s === 'string' ? (findScenarios([s])[0] as Scenario) : s));
}
