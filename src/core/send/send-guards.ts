/**
 * The checks before Meta is called (docs/sending.md), each a refusal Meta itself would give, said in
 * plain words: WINDOW_CLOSED (a non-template outside the contact's 24 h customer service window;
 * Meta: 131047), TEMPLATE_NOT_APPROVED (the template's latest status is paused, disabled, rejected,
 * pending or deleted; Meta: 132015/132016/132001), MARKETING_OPT_OUT (a MARKETING template to a
 * contact who stopped marketing; Meta: 131050). Pure: the facts and the clock are given.
 */
import { SERVICE_WINDOW_MS as WINDOW_MS } from '../service-window.js';

export type GuardCode = 'WINDOW_CLOSED' | 'MARKETING_OPT_OUT' | 'TEMPLATE_NOT_APPROVED';

export interface GuardRefusal {
  readonly code: GuardCode;
  readonly reason: string;
}

export interface GuardInput {
  readonly type: string;
  readonly phoneNumberId: string;
  /** The recipient as the caller named it (phone or BSUID), for the reason. */
  readonly who: string;
  readonly templateName: string | null;
  readonly templateLanguage: string | null;
}

export interface GuardFactsIn {
  readonly lastInboundAt: number | null;
  readonly optedOut: boolean;
  readonly template: {
    readonly status: string | null;
    readonly reason: string | null;
    readonly category: string | null;
  } | null;
}

/** Template statuses under which Meta refuses the send (Meta's docs on template status events). */
export const NOT_SENDABLE = new Set([
  'PAUSED',
  'DISABLED',
  'REJECTED',
  'PENDING',
  'DELETED',
  'PENDING_DELETION',
  'ARCHIVED',
]);

const iso = (ms: number) => new Date(ms).toISOString();

export function checkSendGuards(input: GuardInput, facts: GuardFactsIn, now: number): GuardRefusal | null {
  if (input.type === 'template') {
    const name = `${input.templateName ?? '?'} (${input.templateLanguage ?? 'any language'})`;
    const status = facts.template?.status?.toUpperCase() ?? null;
    if (status !== null && NOT_SENDABLE.has(status)) {
      const why =
        facts.template?.reason && facts.template.reason !== 'NONE' ? `, reason ${facts.template.reason}` : '';
      return {
        code: 'TEMPLATE_NOT_APPROVED',
        reason: `template ${name} is ${status}${why} according to Meta's latest template event; Meta would refuse the send. It can be sent again after an APPROVED or REINSTATED event.`,
      };
    }
    if (facts.optedOut && facts.template?.category?.toUpperCase() === 'MARKETING')
      return {
        code: 'MARKETING_OPT_OUT',
        reason: `${input.who} stopped marketing messages, and template ${name} is a MARKETING template; Meta would refuse it (131050).`,
      };
    return null;
  }
  const last = facts.lastInboundAt;
  if (last === null)
    return {
      code: 'WINDOW_CLOSED',
      reason: `${input.who} has never written to number ${input.phoneNumberId}, so only a template can be sent (Meta would answer 131047).`,
    };
  if (now >= last + WINDOW_MS)
    return {
      code: 'WINDOW_CLOSED',
      reason: `${input.who} last wrote to number ${input.phoneNumberId} at ${iso(last)}; the 24-hour window closed at ${iso(last + WINDOW_MS)}, so only a template can be sent (Meta would answer 131047).`,
    };
  return null;
}
