import { statusDelivery, statusItem, type StatusOptions } from './statuses.js';
import type { Person, Scenario, ScenarioContext, Step } from './types.js';

type Hop = readonly [status: string, offsetSeconds: number, options?: StatusOptions];

/** One delivery per status, sent in the order given (which need not be the order they happened). */
function statusSteps(ctx: ScenarioContext, person: Person, wamid: string, hops: readonly Hop[]): Step[] {
  return hops.map(([status, at, options]) => ({
    kind: 'delivery',
    label: `status ${status} (t+${at}s)`,
    body: statusDelivery(ctx, person, statusItem(ctx, wamid, person, status, at, options)),
  }));
}

function count(hops: readonly Hop[]): Record<string, number> {
  const events: Record<string, number> = {};
  for (const [status] of hops) events[`status.${status}`] = (events[`status.${status}`] ?? 0) + 1;
  return events;
}

/** Pricing rides on `sent` and on exactly one of `delivered`/`read` (Meta's docs on pricing). */
const LIFECYCLE: readonly Hop[] = [
  ['sent', 0, { pricing: 'marketing', callbackData: 'campaign-17' }],
  ['delivered', 4, { pricing: 'marketing', callbackData: 'campaign-17' }],
  ['read', 65, { callbackData: 'campaign-17' }],
];

export const statusLifecycle: Scenario = {
  name: 'status-lifecycle',
  description: 'Outbound marketing template: sent → delivered → read, with PMP pricing on sent and delivered',
  build(ctx) {
    const wamid = ctx.ids.wamid(ctx.ana.waId ?? '');
    return {
      steps: statusSteps(ctx, ctx.ana, wamid, LIFECYCLE),
      expect: { events: count(LIFECYCLE), messageStatus: { [wamid]: 'read' } },
    };
  },
};

/** `delivered` is skipped when the user reads at once; `read` implies delivery (Meta's docs on ordering). */
const SKIPPED: readonly Hop[] = [
  ['sent', 0, { pricing: 'utility' }],
  ['read', 2, { pricing: 'utility' }],
];

export const statusDeliveredSkipped: Scenario = {
  name: 'status-delivered-skipped',
  description: 'Outbound utility template read immediately: sent → read, no delivered status ever comes',
  build(ctx) {
    const wamid = ctx.ids.wamid(ctx.ben.waId ?? '');
    return {
      steps: statusSteps(ctx, ctx.ben, wamid, SKIPPED),
      expect: { events: count(SKIPPED), messageStatus: { [wamid]: 'read' } },
    };
  },
};

/** Arrival order differs from event order (Meta's docs on ordering); a voice note also reports `played` (Meta's docs on the status object, since 2026-03-17). */
const TEXT_SHUFFLED: readonly Hop[] = [
  ['read', 40],
  ['sent', 0, { pricing: 'service' }],
  ['delivered', 3, { pricing: 'service' }],
];
const VOICE_SHUFFLED: readonly Hop[] = [
  ['played', 90],
  ['sent', 10, { pricing: 'service' }],
  ['read', 60],
  ['delivered', 12, { pricing: 'service' }],
];

export const statusOutOfOrder: Scenario = {
  name: 'status-out-of-order',
  description:
    'Statuses arriving out of order: read before sent, played before delivered — state must never go backwards',
  build(ctx) {
    const text = ctx.ids.wamid(ctx.ana.waId ?? '');
    const voice = ctx.ids.wamid(ctx.ana.waId ?? '');
    const events = count([...TEXT_SHUFFLED, ...VOICE_SHUFFLED]);
    return {
      steps: [
        ...statusSteps(ctx, ctx.ana, text, TEXT_SHUFFLED),
        ...statusSteps(ctx, ctx.ana, voice, VOICE_SHUFFLED),
      ],
      expect: { events, messageStatus: { [text]: 'read', [voice]: 'played' } },
    };
  },
};

/** The failure codes integrations most often mishandle (Meta's docs on error codes). */
export const FAILURE_CODES = [131026, 131047, 131049, 131050, 132015] as const;

export const statusFailures: Scenario = {
  name: 'status-failures',
  description:
    'Failed sends: 131026 undeliverable, 131047 window closed, 131049 ecosystem limit, 131050 marketing stopped, 132015 template paused',
  build(ctx) {
    const steps: Step[] = [];
    const messageStatus: Record<string, string> = {};
    FAILURE_CODES.forEach((code, i) => {
      const person = i % 2 === 0 ? ctx.ana : ctx.ben;
      const wamid = ctx.ids.wamid(person.waId ?? '');
      messageStatus[wamid] = 'failed';
      const item = statusItem(ctx, wamid, person, 'failed', i, { errorCode: code });
      steps.push({
        kind: 'delivery',
        label: `status failed ${code}`,
        body: statusDelivery(ctx, person, item),
      });
    });
    return { steps, expect: { events: { 'status.failed': FAILURE_CODES.length }, messageStatus } };
  },
};
