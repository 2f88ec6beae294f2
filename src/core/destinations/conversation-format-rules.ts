/**
 * What format `conversation` asks of the rest of a destination. Its body is a whole
 * conversation read at send time, so rows of one contact must go in order, one at a time: that is
 * what lets a sent body supersede the contact's later rows it already carried, and a batch window
 * hold the first message while the next ones arrive. Pure.
 */
import type { DestinationFields } from '../../ports/destination-store.js';
import type { FieldProblem } from './parse-destination-input.js';

/** Inbound messages only: the conversation changes for the customer's messages, not for statuses. */
export const CONVERSATION_DEFAULT_EVENTS: readonly string[] = ['message.'];
/** Longer than this, a customer waits too long for an answer built from the call. */
export const MAX_BATCH_WINDOW_MS = 600_000;

/**
 * The defaults a destination gets when it becomes a conversation destination: `message.` as its
 * events when it names none, contact ordering when ordering was not given. `given` is what the
 * request set; `fields` the destination as it will be stored.
 */
export function withConversationDefaults(
  fields: DestinationFields,
  given: Partial<DestinationFields>,
): DestinationFields {
  if (fields.format !== 'conversation') return fields;
  return {
    ...fields,
    ...(fields.filter.events === undefined
      ? { filter: { ...fields.filter, events: [...CONVERSATION_DEFAULT_EVENTS] } }
      : {}),
    ...(given.ordering === undefined ? { ordering: 'contact' as const } : {}),
  };
}

/** The first field that does not fit the format, or null. */
export function conversationFormatProblem(fields: DestinationFields): FieldProblem | null {
  if (fields.format === 'conversation' && fields.ordering !== 'contact')
    return {
      field: 'ordering',
      message:
        'must be contact for format conversation (a contact’s messages are posted in order, so a sent conversation can stand for the ones it carried)',
    };
  if (fields.format !== 'conversation' && fields.batchWindowMs !== 0)
    return {
      field: 'batch_window_ms',
      message: 'applies only to format conversation (other formats post one call per event); use 0',
    };
  return null;
}
