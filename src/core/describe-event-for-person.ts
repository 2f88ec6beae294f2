/**
 * An event in words a person reads in Slack or an e-mail: what happened, about whom,
 * the text or the status, and for an error what it means and what to do (the error policy).
 * Pure; the same words for every kind that writes for people.
 */
import type { AnyWharfEvent, ContactIdentity } from '../events/wharf-event.js';
import type { MessageContent, WaErrorInfo } from '../events/event-data.js';
import { errorPolicy, type ErrorAction } from './error-policy.js';
import { summarizeMessage } from './summarize-message.js';
import { alertFor, dashboardLink } from './actions/alert-for.js';

export interface PersonDescription {
  /** One line: what happened (an e-mail subject, a Slack headline). */
  readonly title: string;
  /** Further lines: the text, the reason, each error with what to do. */
  readonly lines: readonly string[];
  /** title and lines as one text. */
  readonly text: string;
}

const WHAT_TO_DO: Readonly<Record<ErrorAction, string>> = {
  retry: 'try again later; it usually passes',
  dont_retry: 'sending the same again will fail the same way',
  fallback: 'reach the person another way (SMS, e-mail)',
  send_template: 'the 24-hour window is closed: only an approved template can be sent',
  suppress: 'stop sending this kind of message there until told otherwise',
  alert: 'a person must fix the configuration, account, billing or policy',
  fix_template: 'change the template or its parameters',
};

/** Template states a person must act on (Meta's template status webhook; error codes 132015/132016). */
const TEMPLATE_GUIDANCE: Readonly<Record<string, string>> = {
  PAUSED:
    'Meta paused it after low-quality feedback: switch to another template, or edit it and submit it again.',
  DISABLED: 'It was paused too often and is disabled for good: create a new template.',
  REJECTED: 'Fix what the reason says and submit it again.',
  FLAGGED: 'Negative feedback puts it at risk of a pause: review its content and audience.',
};

/** Who an event is about, as a person would name them. */
export function personName(c: ContactIdentity | undefined): string | undefined {
  if (c === undefined) return undefined;
  const id = c.waId !== undefined ? `+${c.waId}` : (c.username ?? c.userId);
  if (c.name !== undefined) return id !== undefined ? `${c.name} (${id})` : c.name;
  return id;
}

export function describeError(e: WaErrorInfo): string {
  const p = errorPolicy(e.code);
  const what = [e.title, e.details ?? e.message].filter((x) => x !== undefined && x !== '').join(': ');
  const code = e.code !== null ? `Error ${e.code}` : 'Error';
  return `${code}${what ? ` (${what})` : ''}: ${p.meaning}. What to do: ${WHAT_TO_DO[p.action]}.`;
}

function errorsOf(data: unknown): readonly WaErrorInfo[] {
  if (data === null || typeof data !== 'object') return [];
  const d = data as { errors?: unknown; error?: unknown };
  if (Array.isArray(d.errors)) return d.errors as WaErrorInfo[];
  if (d.error !== null && typeof d.error === 'object') return [d.error as WaErrorInfo];
  return [];
}

function headline(e: AnyWharfEvent, who: string | undefined): [string, string[]] {
  const about = who !== undefined ? ` ${who}` : '';
  switch (e.name.split('.')[0]) {
    case 'message': {
      const d = e.data as unknown as MessageContent & { type: string };
      const preview = summarizeMessage('inbound', d, undefined).preview;
      return [`New WhatsApp ${d.kind} message from${about || ' a contact'}`, preview ? [`“${preview}”`] : []];
    }
    case 'status': {
      const d = e.data as { status: string; recipientId?: string };
      const to = about || (d.recipientId ? ` +${d.recipientId}` : '');
      return [`Message to${to || ' a contact'} ${d.status}`, e.wamid ? [`Message ${e.wamid}`] : []];
    }
  }
  switch (e.name) {
    case 'template.status': {
      const d = e.data;
      const reason = [d.reason, d.rejectionInfo?.reason, d.otherInfo?.description].find(
        (r) => typeof r === 'string' && r !== '' && r !== 'NONE',
      );
      const guidance = TEMPLATE_GUIDANCE[d.event];
      const lines = [reason ? `Reason: ${reason}` : undefined, guidance].filter(
        (x): x is string => x !== undefined,
      );
      return [`Template ${templateName(d)} is now ${d.event}`, lines];
    }
    case 'template.quality': {
      const d = e.data;
      return [
        `Template ${templateName(d)} quality ${d.previousQualityScore ?? '?'} → ${d.newQualityScore ?? '?'}`,
        [],
      ];
    }
    case 'phone_number.quality': {
      const d = e.data;
      const limit =
        d.oldLimit || d.currentLimit
          ? [`Messaging limit: ${d.oldLimit ?? '?'} → ${d.currentLimit ?? '?'}`]
          : [];
      return [
        `Phone number ${d.displayPhoneNumber ?? e.phoneNumberId ?? ''} quality: ${d.event ?? 'update'}`,
        limit,
      ];
    }
    case 'account.update': {
      const d = e.data;
      const lines = [
        d.violationType ? `Violation: ${d.violationType}` : undefined,
        d.banState ? `Ban state: ${d.banState}${d.banDate ? ` (${d.banDate})` : ''}` : undefined,
        ...d.restrictions.map(
          (r) => `Restriction: ${r.type ?? 'unspecified'}${r.remediation ? ` — ${r.remediation}` : ''}`,
        ),
      ].filter((x): x is string => x !== undefined);
      return [`WhatsApp account update: ${d.event}`, lines];
    }
  }
  return [`WhatsApp event ${e.name}${who !== undefined ? ` about ${who}` : ''}`, []];
}

function templateName(d: { templateName?: string; language?: string; templateId?: string }): string {
  const name = d.templateName ?? d.templateId ?? '(unnamed)';
  return d.language ? `${name} (${d.language})` : name;
}

export interface DescribeOptions {
  /** WHARF_PUBLIC_URL: alerts end with a link to the dashboard page about them. */
  readonly publicUrl?: string;
}

/**
 * An alert (alertFor: template paused, number limit lowered, account restricted, a destination
 * failing…) in the words a person acts on: the facts, why it matters, what to do, and the link.
 */
function describeAlert(event: AnyWharfEvent, options: DescribeOptions): PersonDescription | null {
  const a = alertFor(event);
  if (a === null) return null;
  const link = dashboardLink(options.publicUrl, a.page);
  const lines = [
    ...a.facts,
    `Why it matters: ${a.why}`,
    `What to do: ${a.todo.charAt(0).toUpperCase()}${a.todo.slice(1)}`,
    ...(link !== null ? [`Open in Wharf: ${link}`] : []),
  ];
  return { title: a.title, lines, text: [a.title, ...lines].join('\n') };
}

export function describeEventForPerson(
  event: AnyWharfEvent,
  options: DescribeOptions = {},
): PersonDescription {
  const alert = describeAlert(event, options);
  if (alert !== null) return alert;
  const [title, lines] = headline(event, personName(event.contact));
  const all = [...lines, ...errorsOf(event.data).map(describeError)];
  const link =
    event.name.startsWith('status.') && event.wamid !== undefined
      ? dashboardLink(options.publicUrl, `/ui/#/messages/${encodeURIComponent(event.wamid)}`)
      : null;
  if (event.phoneNumberId !== undefined && !title.includes(event.phoneNumberId))
    all.push(
      `Business number: ${event.displayPhoneNumber ?? event.phoneNumberId} (phone_number_id ${event.phoneNumberId})`,
    );
  if (link !== null) all.push(`Open in Wharf: ${link}`);
  return { title, lines: all, text: [title, ...all].join('\n') };
}
