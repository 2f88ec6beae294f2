/**
 * Kind `sms` (docs/actions.md): a failed WhatsApp message becomes at most one SMS, ever. The wamid is
 * claimed in the database (ActionStore) before the provider is called, so a duplicate delivery, a
 * replay, a second worker or a restart finds the claim and sends nothing. An attempt that ended
 * without the provider's answer (a crash, a timeout) leaves the claim `unknown`: never re-sent by
 * itself, and reported as a failed attempt so that a person sees it (attempt log, dead letter).
 */
import type { Destination } from '../core/destinations/destination.js';
import { planSmsFallback, type FallbackFacts, type FallbackPlan } from '../core/actions/plan-sms-fallback.js';
import type { ActionStore, FallbackRecord } from '../ports/action-store.js';
import { endsUndeliveredTimer, undeliveredAfterMs } from '../core/actions/undelivered-timer.js';
import type {
  DestinationTransport,
  OutboundMessage,
  TransportResult,
} from '../ports/destination-transport.js';
import type { ReadStore } from '../ports/read-store.js';
import type { SmsProvider } from '../ports/sms-provider.js';
import { done, failed } from './local-results.js';

/** What the SMS kind reads about a message: the send's `sms_fallback_text` and template, when known. */
export interface SendFacts {
  sendOf(wamid: string): Promise<{
    readonly id: string;
    readonly smsFallbackText: string | null;
    readonly templateName: string | null;
  } | null>;
  /** Writes the fallback's current state beside the send (its `fallback`). */
  setFallback(sendId: string, fallback: FallbackRecord): Promise<void>;
}

export interface SmsFallbackDeps {
  readonly destination: Destination;
  readonly provider: SmsProvider;
  readonly actions: ActionStore;
  readonly reads: Pick<ReadStore, 'getContact' | 'getMessage'>;
  readonly sends?: SendFacts;
  readonly now: () => number;
}

const at = (ms: number) => new Date(ms).toISOString();

export function createSmsFallbackTransport(deps: SmsFallbackDeps): DestinationTransport {
  const d = deps.destination;
  const text = typeof d.settings['text'] === 'string' ? d.settings['text'] : undefined;
  /** A `sending` claim older than this was left by an attempt that ended without an answer. */
  const staleMs = d.timeoutMs + 5000;
  const afterMs = undeliveredAfterMs(d);

  /** The send through Wharf of the wamid, if any: its text and template, and where its `fallback` is written. */
  async function sendOf(wamid: string | undefined) {
    return wamid !== undefined && deps.sends ? deps.sends.sendOf(wamid) : null;
  }

  /** Copies the wamid's fallback record onto its send record (best effort: the action store is the truth). */
  async function mirror(sendId: string | undefined, wamid: string): Promise<void> {
    if (sendId === undefined || !deps.sends) return;
    const r = await deps.actions.fallback(wamid);
    if (r !== null) await deps.sends.setFallback(sendId, r).catch(() => undefined);
  }

  async function facts(
    m: OutboundMessage,
    undelivered: boolean,
    send: Awaited<ReturnType<typeof sendOf>>,
  ): Promise<FallbackFacts> {
    const e = m.event;
    const data = e.data as { recipientId?: string; recipientUserId?: string };
    const userId = e.contact?.userId ?? data.recipientUserId ?? null;
    let phone = e.contact?.waId ?? data.recipientId ?? null;
    // The contact record may know the phone number of a BSUID (a message or a number change said so).
    const contact =
      (phone !== null ? await deps.reads.getContact(phone) : null) ??
      (userId !== null ? await deps.reads.getContact(userId) : null);
    phone ??= contact?.waId ?? null;
    const opt = contact?.marketingOptOut;
    return {
      event: e,
      phone,
      userId,
      optedOut: opt?.optedOut ? { source: opt.source, at: opt.at } : null,
      sendText: send?.smsFallbackText ?? null,
      templateName: send?.templateName ?? null,
      undelivered,
    };
  }

  /** The answer for a wamid someone else already claimed, settled or skipped. */
  async function existing(r: FallbackRecord, now: number): Promise<TransportResult> {
    switch (r.state) {
      case 'sent':
        return done(
          `not sent again: the SMS for ${r.wamid} went out at ${at(r.at)} (provider id ${r.providerId ?? 'unknown'})`,
        );
      case 'skipped':
      case 'cancelled':
        return done(`not sent: ${r.state} at ${at(r.at)}: ${r.reason ?? ''}`);
      case 'failed':
        return failed(
          `not sent again: the provider refused this SMS for good at ${at(r.at)}: ${r.reason ?? ''}`,
        );
      case 'unknown':
        return failed(
          `not sent again: an earlier attempt ended without the provider's answer (${r.reason ?? 'unknown'}); it may have been sent, and a second SMS is never risked`,
        );
      case 'retry':
        // Another attempt claimed it between our claim and our read; it is that attempt's to send.
        return done(`another attempt is sending the SMS for ${r.wamid}`);
      case 'sending': {
        if (r.claimedAt !== null && now - r.claimedAt < staleMs)
          return done(`another attempt is sending the SMS for ${r.wamid} (claimed at ${at(r.claimedAt)})`);
        const reason =
          'the attempt that claimed it ended without the provider’s answer (Wharf stopped or crashed meanwhile)';
        await deps.actions.settleFallback(r.wamid, r.claimedAt ?? 0, { state: 'unknown', reason, at: now });
        return failed(`not sent again: ${reason}; it may have been sent, and a second SMS is never risked`);
      }
    }
  }

  async function fallback(m: OutboundMessage, signal: AbortSignal): Promise<TransportResult> {
    const wamid = m.event.wamid;
    const send = await sendOf(wamid);
    // A `status.sent` row is the undelivered timer, held by the dispatcher until it ran out.
    const undelivered = m.name === 'status.sent';
    if (undelivered && wamid !== undefined) {
      const ended = await timerEnded(m, wamid, send);
      if (ended !== null) {
        await mirror(send?.id, wamid);
        return ended;
      }
    }
    const plan = planSmsFallback(await facts(m, undelivered, send), text);
    const now = deps.now();
    if (plan.kind === 'ignore') return done(`nothing to do: ${plan.why}`);
    const result = await act(plan, m, signal, now, undelivered);
    await mirror(send?.id, plan.wamid);
    return result;
  }

  /** The answer when the undelivered timer has nothing to send, or null when the SMS is due. */
  async function timerEnded(
    m: OutboundMessage,
    wamid: string,
    send: Awaited<ReturnType<typeof sendOf>>,
  ): Promise<TransportResult | null> {
    if (afterMs === null) return done('nothing to do: this destination has no undelivered_after_seconds');
    if (send === null)
      return done('nothing to do: undelivered_after_seconds applies to messages sent through Wharf');
    const msg = await deps.reads.getMessage(wamid);
    if (msg === null || !endsUndeliveredTimer(msg.status, msg.failed)) return null;
    if (msg.failed)
      return done(
        'nothing to do: the message failed before the timer ran out (a failure has its own fallback)',
      );
    const r = await deps.actions.skipFallback({
      wamid,
      destinationId: d.id,
      eventKey: m.eventKey,
      to: null,
      reason: `${msg.status ?? 'delivered'} before undelivered_after_seconds (${afterMs / 1000} s) ran out`,
      state: 'cancelled',
      now: deps.now(),
    });
    return done(`${r.state}: ${r.reason ?? ''}`);
  }

  async function act(
    plan: Exclude<FallbackPlan, { kind: 'ignore' }>,
    m: OutboundMessage,
    signal: AbortSignal,
    now: number,
    undelivered: boolean,
  ): Promise<TransportResult> {
    const base = { wamid: plan.wamid, destinationId: d.id, eventKey: m.eventKey, now };
    if (plan.kind === 'skip') {
      const r = await deps.actions.skipFallback({ ...base, to: plan.to, reason: plan.reason });
      return r.state === 'skipped' ? done(`skipped: ${r.reason ?? ''}`) : existing(r, now);
    }
    const claim = await deps.actions.claimFallback({ ...base, to: plan.to });
    if (!claim.claimed) return existing(claim.record, now);
    const claimedAt = claim.record.claimedAt ?? now;
    const r = await deps.provider.send({ to: plan.to, text: plan.text, wamid: plan.wamid }, signal);
    const answer = { status: r.status, durationMs: r.durationMs, responseExcerpt: r.responseExcerpt };
    const o = r.outcome;
    if (o.kind === 'accepted') {
      await deps.actions.settleFallback(plan.wamid, claimedAt, {
        state: 'sent',
        providerId: o.providerId,
        reason:
          undelivered && afterMs !== null
            ? `not delivered within ${afterMs / 1000} s (undelivered_after_seconds)`
            : null,
        at: deps.now(),
      });
      return { ok: true, ...answer, error: null };
    }
    const state = o.kind === 'unknown' ? 'unknown' : o.retry ? 'retry' : 'failed';
    await deps.actions.settleFallback(plan.wamid, claimedAt, { state, reason: r.error, at: deps.now() });
    return {
      ok: false,
      ...answer,
      error: r.error ?? 'the SMS provider did not accept it',
      ...(o.kind === 'refused' && o.retryAfterMs !== undefined ? { retryAfterMs: o.retryAfterMs } : {}),
    };
  }

  return {
    send: (m, signal) =>
      fallback(m, signal).catch((err: unknown) =>
        failed(`SMS fallback could not run: ${err instanceof Error ? err.message : String(err)}`),
      ),
    close: () => deps.provider.close(),
  };
}
