/**
 * Management events → templates (Meta's docs on template fields), phone numbers (Meta's docs on phone number fields) and account
 * state (Meta's docs on account fields; `security`; `business_username_update`). Each aspect keeps the newest event by time.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { TemplateRef } from '../events/event-data.js';
import { rankOf, type StateChange, type TemplateChange } from './state-change.js';

function templateKey(event: AnyWharfEvent, r: TemplateRef): string | undefined {
  if (r.templateId) return r.templateId;
  if (r.templateName) return `name:${event.wabaId}:${r.templateName}:${r.language ?? ''}`;
  return undefined;
}

function template(
  event: AnyWharfEvent,
  r: TemplateRef,
  facet: Pick<TemplateChange, 'status' | 'quality' | 'category'>,
  value: string | undefined,
  detail: string | undefined,
): StateChange[] {
  const key = templateKey(event, r);
  if (key === undefined) return [];
  return [
    {
      kind: 'template',
      templateKey: key,
      wabaId: event.wabaId,
      templateId: r.templateId,
      name: r.templateName,
      language: r.language,
      at: event.occurredAt,
      rank: rankOf(event.occurredAt, event.key),
      ...facet,
      history: { eventKey: event.key, eventName: event.name, value, detail },
    },
  ];
}

function templateChanges(event: AnyWharfEvent): StateChange[] {
  switch (event.name) {
    case 'template.status': {
      const d = event.data;
      const reason = d.reason ?? d.rejectionInfo?.reason ?? d.otherInfo?.description;
      return template(
        event,
        d,
        { status: { value: d.event, reason: reason ?? undefined }, category: d.category },
        d.event,
        reason ?? undefined,
      );
    }
    case 'template.quality':
      return template(
        event,
        event.data,
        { quality: event.data.newQualityScore },
        event.data.newQualityScore,
        undefined,
      );
    case 'template.category': {
      const d = event.data;
      // `impending` only announces a change 24 h ahead; the category changes on `completed`.
      const facet = d.phase === 'completed' ? { category: d.newCategory } : {};
      return template(event, d, facet, d.newCategory ?? d.correctCategory, d.phase);
    }
    case 'template.components':
      return template(event, event.data, {}, undefined, event.data.body);
    case 'template.category_detection':
      return template(event, event.data, {}, event.data.correctCategory, event.data.category);
    default:
      return [];
  }
}

function phoneKey(event: AnyWharfEvent, display: string | undefined): string | undefined {
  if (event.phoneNumberId) return event.phoneNumberId;
  const digits = display ?? event.displayPhoneNumber;
  return digits ? `display:${digits}` : undefined;
}

function phoneNumberChanges(event: AnyWharfEvent): StateChange[] {
  if (event.name !== 'phone_number.name' && event.name !== 'phone_number.quality') return [];
  const d = event.data;
  const key = phoneKey(event, d.displayPhoneNumber);
  if (key === undefined) return [];
  const base = {
    kind: 'phone_number' as const,
    phoneKey: key,
    wabaId: event.wabaId,
    displayPhoneNumber: d.displayPhoneNumber ?? event.displayPhoneNumber,
    rank: rankOf(event.occurredAt, event.key),
  };
  if (event.name === 'phone_number.name') {
    const n = event.data;
    const name = {
      status: n.decision,
      requested: n.requestedVerifiedName,
      rejectionReason: n.rejectionReason ?? undefined,
    };
    return [{ ...base, name }];
  }
  const q = event.data;
  const max = q.maxDailyConversationsPerBusiness;
  const quality = {
    event: q.event,
    currentLimit: q.currentLimit,
    oldLimit: q.oldLimit,
    maxDailyConversations: max === undefined ? undefined : String(max),
  };
  return [{ ...base, quality }];
}

/** Account-level aspects: the event name plus the sub-type that distinguishes independent facts. */
function accountAspect(event: AnyWharfEvent): string | undefined {
  switch (event.name) {
    case 'account.update':
      return `${event.name}:${event.data.event}`;
    case 'account.alert':
      return `${event.name}:${event.data.alertType ?? ''}`;
    case 'account.settings':
      return `${event.name}:${event.data.settingsType ?? ''}`;
    case 'security':
      return `${event.name}:${event.data.event ?? ''}`;
    case 'account.review':
    case 'business.capability':
    case 'business.username':
    case 'partner.solution':
    case 'payment.configuration':
      return event.name;
    default:
      return undefined;
  }
}

export function deriveManagementChanges(event: AnyWharfEvent): StateChange[] {
  const aspect = accountAspect(event);
  if (aspect !== undefined)
    return [
      {
        kind: 'account',
        wabaId: event.wabaId,
        aspect,
        at: event.occurredAt,
        rank: rankOf(event.occurredAt, event.key),
        value: event.data,
      },
    ];
  return [...templateChanges(event), ...phoneNumberChanges(event)];
}
