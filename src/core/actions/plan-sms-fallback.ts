/**
 * Whether a failed (or undelivered) WhatsApp message gets an SMS, to which number and with which
 * text — or why not (docs/actions.md). Pure: the app reads the message, the contact and the send
 * record, and claims the wamid before any provider is called.
 */
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { WaErrorInfo } from '../../events/event-data.js';
import { renderSmsText } from './sms-text.js';

export interface FallbackFacts {
  readonly event: AnyWharfEvent;
  /** The contact's phone number (digits, no `+`) from the event or the contact record, if known. */
  readonly phone: string | null;
  /** The contact's BSUID when only that is known. */
  readonly userId: string | null;
  /** The shared opt-out state (a 131050 failure or a user_preferences stop; a resume clears it). */
  readonly optedOut: { readonly source: string; readonly at: number } | null;
  /** `sms_fallback_text` of the send through Wharf, if the message was sent with one. */
  readonly sendText: string | null;
  readonly templateName: string | null;
  /** The undelivered timer of `undelivered_after_seconds` ran out (no delivered/read/failed came). */
  readonly undelivered?: boolean;
}

export type FallbackPlan =
  | { readonly kind: 'send'; readonly wamid: string; readonly to: string; readonly text: string }
  | { readonly kind: 'skip'; readonly wamid: string; readonly to: string | null; readonly reason: string }
  /** Not an event an SMS stands in for (no wamid, not a failure or an undelivered timer). */
  | { readonly kind: 'ignore'; readonly why: string };

export const SKIP_NO_PHONE =
  'no phone number: the contact is known only by a business-scoped user id (BSUID), which cannot receive an SMS';
export const SKIP_NO_TEXT =
  'no text: the send had no sms_fallback_text and the destination has no text template';

export function skipOptedOut(o: { readonly source: string; readonly at: number }): string {
  const by =
    o.source === 'user_preferences' ? 'a user_preferences stop' : o.source.replace('error_', 'error ');
  return `the contact opted out (${by}, ${new Date(o.at).toISOString()}): no message is sent on another channel either`;
}

function firstError(event: AnyWharfEvent): WaErrorInfo | undefined {
  const d = event.data as { errors?: readonly WaErrorInfo[] };
  return Array.isArray(d.errors) ? d.errors[0] : undefined;
}

export function planSmsFallback(f: FallbackFacts, textTemplate: string | undefined): FallbackPlan {
  const e = f.event;
  if (e.wamid === undefined) return { kind: 'ignore', why: 'the event names no message (no wamid)' };
  if (e.name !== 'status.failed' && f.undelivered !== true)
    return { kind: 'ignore', why: `SMS fallback acts on status.failed, not ${e.name}` };
  const wamid = e.wamid;
  const to = f.phone !== null ? `+${f.phone.replace(/^\+/, '')}` : null;
  if (to === null) return { kind: 'skip', wamid, to, reason: SKIP_NO_PHONE };
  if (f.optedOut !== null) return { kind: 'skip', wamid, to, reason: skipOptedOut(f.optedOut) };
  const err = firstError(e);
  const text =
    f.sendText ??
    (textTemplate !== undefined
      ? renderSmsText(textTemplate, {
          template_name: f.templateName,
          recipient: to,
          wamid,
          error_code: err?.code ?? null,
          error_title: err?.title ?? null,
          biz_opaque_callback_data:
            (e.data as { bizOpaqueCallbackData?: string }).bizOpaqueCallbackData ?? null,
        })
      : null);
  if (text === null || text.trim() === '') return { kind: 'skip', wamid, to, reason: SKIP_NO_TEXT };
  return { kind: 'send', wamid, to, text };
}
