/**
 * What the action kinds do when a person gives no filter (docs/actions.md): an `sms` destination acts on
 * failures whose error policy says `fallback`; a `slack` or `email` destination gets the alerts a
 * WhatsApp operator must know about. Pure.
 */
import type { DestinationFields } from './../destinations/destination.js';

/** Events an alert destination gets by default; alertFor decides which of them need a person. */
export const ALERT_DEFAULT_EVENTS: readonly string[] = [
  'template.status',
  'template.quality',
  'phone_number.quality',
  'account.update',
  'account.alert',
  'wharf.destination.',
  'wharf.dead_letter',
  'wharf.media.failed',
];

export const SMS_DEFAULT_EVENTS: readonly string[] = ['status.failed'];
export const SMS_DEFAULT_ERROR_ACTIONS: readonly string[] = ['fallback'];

/** `dedupe_minutes` when not given. */
export const ALERT_DEDUPE_DEFAULT_MINUTES = 60;
export const ALERT_DEDUPE_MAX_MINUTES = 10_080;

/** The kind's default filter when the request gave none (`given.filter` undefined). */
export function withActionDefaults(
  fields: DestinationFields,
  given: Partial<DestinationFields>,
): DestinationFields {
  if (given.filter !== undefined) return fields;
  if (fields.kind === 'sms')
    return {
      ...fields,
      filter: { events: [...SMS_DEFAULT_EVENTS], errorActions: [...SMS_DEFAULT_ERROR_ACTIONS] },
    };
  if (fields.kind === 'slack' || fields.kind === 'email')
    return { ...fields, filter: { events: [...ALERT_DEFAULT_EVENTS] } };
  return fields;
}
