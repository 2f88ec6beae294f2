/**
 * Events → state change records (pure: no I/O, no clock). Applying the records of a set of events
 * in any order gives the same state, so workers need no partitioning; the SQL side applies them with
 * max/min and "newest rank wins" (the rule table, src/adapters/state-rules.ts).
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { MessageContent, MessageContext } from '../events/event-data.js';
import { statusRank } from './status-rank.js';
import { deriveContactChanges } from './derive-contact-changes.js';
import { deriveManagementChanges } from './derive-management-changes.js';
import { summarizeMessage } from './summarize-message.js';
import { deriveConversationChanges } from './derive-conversation-changes.js';
import { rankOf, type KnownStatus, type StateChange } from './state-change.js';

/** Which copy of a message's content wins: the message itself, then the business app's echo, then history sync. */
const SOURCE_PRIORITY = { inbound: '3', echo: '2', history: '1' } as const;

function messageChange(
  event: AnyWharfEvent,
  source: keyof typeof SOURCE_PRIORITY,
  direction: 'inbound' | 'outbound',
  content: MessageContent,
  context: MessageContext | undefined,
): StateChange[] {
  if (event.wamid === undefined) return [];
  return [
    {
      kind: 'message',
      phoneNumberId: event.phoneNumberId ?? '',
      wamid: event.wamid,
      rank: `${SOURCE_PRIORITY[source]}|${rankOf(event.occurredAt, event.key)}`,
      occurredAt: event.occurredAt,
      content: summarizeMessage(direction, content, context),
      contactWaId: event.contact?.waId,
      contactUserId: event.contact?.userId,
    },
  ];
}

function errorChanges(
  event: AnyWharfEvent,
  errors: readonly {
    code: number | null;
    title?: string;
    message?: string;
    details?: string;
    href?: string;
  }[],
): StateChange[] {
  if (event.wamid === undefined) return [];
  const { wamid } = event;
  return errors.map((e, index) => ({
    kind: 'message_error' as const,
    phoneNumberId: event.phoneNumberId ?? '',
    wamid,
    eventKey: event.key,
    index,
    at: event.occurredAt,
    code: e.code,
    title: e.title,
    message: e.message,
    details: e.details,
    href: e.href,
  }));
}

function statusChanges(event: AnyWharfEvent & { name: `status.${KnownStatus}` }): StateChange[] {
  if (event.wamid === undefined) return [];
  const d = event.data;
  const status = event.name.slice('status.'.length) as KnownStatus;
  const rank = rankOf(event.occurredAt, event.key);
  const change: StateChange = {
    kind: 'status',
    phoneNumberId: event.phoneNumberId ?? '',
    wamid: event.wamid,
    status,
    statusRank: statusRank(status),
    at: event.occurredAt,
    rank,
    pricing: d.pricing && {
      category: d.pricing.category,
      type: d.pricing.type,
      model: d.pricing.pricingModel,
      billable: d.pricing.billable,
    },
    conversation: d.conversation && {
      id: d.conversation.id,
      origin: d.conversation.originType,
      expiresAt: d.conversation.expiresAt,
    },
    bizOpaqueCallbackData: d.bizOpaqueCallbackData,
    contactWaId: event.contact?.waId,
    contactUserId: event.contact?.userId,
  };
  return [change, ...errorChanges(event, d.errors)];
}

function messageFacets(event: AnyWharfEvent): StateChange[] {
  switch (event.name) {
    case 'status.sent':
    case 'status.delivered':
    case 'status.read':
    case 'status.played':
    case 'status.failed':
      return statusChanges(event);
    case 'echo.message':
      return [
        ...messageChange(event, 'echo', 'outbound', event.data.content, event.data.context),
        ...errorChanges(event, event.data.errors),
      ];
    case 'history.message':
      return messageChange(event, 'history', event.data.direction, event.data.content, event.data.context);
    default:
      if (event.name.startsWith('message.')) {
        const data = event.data as MessageContent & {
          context?: MessageContext;
          errors: readonly { code: number | null }[];
        };
        return [
          ...messageChange(event, 'inbound', 'inbound', data, data.context),
          ...errorChanges(event, data.errors),
        ];
      }
      return [];
  }
}

/** Every state change one event implies; events that touch no state yield none. */
export function deriveStateChanges(event: AnyWharfEvent): StateChange[] {
  const messages = messageFacets(event);
  return [
    ...deriveContactChanges(event),
    ...messages,
    ...deriveConversationChanges(event, messages),
    ...deriveManagementChanges(event),
  ];
}
