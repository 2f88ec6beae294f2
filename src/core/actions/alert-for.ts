/**
 * The alerts a WhatsApp operator must act on (docs/actions.md), written for a person: what happened,
 * why it matters, what to do, and where to look in the dashboard. `alertFor` answers null for an event
 * that needs nobody (a template approved, quality going up, a restriction lifted). The `key` names the
 * situation, not the delivery: the same key is sent at most once per `dedupe_minutes`. Pure.
 */
import type { AnyWharfEvent } from '../../events/wharf-event.js';

export interface Alert {
  /** De-duplication key, e.g. `template:1234567890123456:PAUSED`. */
  readonly key: string;
  readonly title: string;
  /** The facts: which template, number, restriction, until when. */
  readonly facts: readonly string[];
  readonly why: string;
  readonly todo: string;
  /** Dashboard page (a path under WHARF_PUBLIC_URL), e.g. `/ui/#/templates`. */
  readonly page: string;
}

/** Meta's pause schedule for a template with low quality (Meta's docs on `message_template_status_update` and error codes 132015/132016). */
export const PAUSE_SCHEDULE =
  'Meta pauses a low-quality template for 3 hours the first time, for 6 hours the second time, and disables it for good the third time.';

/** Account restriction types in plain words (Meta's docs on `account_update`, `restriction_info[].restriction_type`). */
export const RESTRICTION_WORDS: Readonly<Record<string, string>> = {
  RESTRICTED_BIZ_INITIATED_MESSAGING:
    'you cannot start conversations: business-initiated messages (templates included) are refused',
  RESTRICTED_CUSTOMER_INITIATED_MESSAGING: 'you cannot reply to customers who write to you',
  RESTRICTED_ADD_PHONE_NUMBER_ACTION: 'you cannot add phone numbers to this account',
  RESTRICTED_UTILITY_TEMPLATES: 'you cannot send utility templates',
  RESTRICTED_DIRECT_SEND_UTILITY_TEMPLATES: 'you cannot send utility templates directly through the API',
  RESTRICTED_BUSINESS_INITIATED_CALLING: 'you cannot call customers',
  RESTRICTED_USER_INITIATED_CALLING: 'customers cannot call you',
  RESTRICTED_USER_INITIATED_CALLING_CALL_BUTTON_HIDDEN:
    'customers cannot call you (the call button is hidden)',
  RESTRICTED_BIZ_INITIATED_AND_USER_INITIATED_CALLING:
    'no calls either way: you cannot call customers and they cannot call you',
};

/** Messaging limit tiers, lowest first (Meta's docs on `phone_number_quality_update`). */
const TIERS = ['TIER_50', 'TIER_250', 'TIER_1K', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'];

const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function templateLabel(d: { templateName?: string; language?: string; templateId?: string }): string {
  const name = d.templateName ?? d.templateId ?? '(unnamed)';
  return d.language ? `${name} (${d.language})` : name;
}

function templateKey(d: { templateName?: string; language?: string; templateId?: string }): string {
  return d.templateId ?? `${d.templateName ?? ''}/${d.language ?? ''}`;
}

function templateStatusAlert(e: AnyWharfEvent & { name: 'template.status' }): Alert | null {
  const d = e.data;
  const label = templateLabel(d);
  const reason = [d.reason, d.rejectionInfo?.reason, d.otherInfo?.description].find(
    (r): r is string => typeof r === 'string' && r !== '' && r !== 'NONE',
  );
  const facts = [`Template: ${label}${d.category ? `, category ${d.category}` : ''}`];
  if (reason !== undefined) facts.push(`Reason: ${reason}`);
  const page = '/ui/#/templates';
  const key = `template:${templateKey(d)}:${d.event}`;
  const title = `Template ${label} is now ${d.event}`;
  switch (d.event) {
    case 'PAUSED': {
      const which = d.otherInfo?.title;
      if (which === 'FIRST_PAUSE') facts.push('This is its first pause: it lasts 3 hours.');
      if (which === 'SECOND_PAUSE')
        facts.push('This is its second pause: it lasts 6 hours. A third one disables it for good.');
      return {
        key: `${key}:${which ?? ''}`,
        title,
        facts,
        why: `Every send of this template fails (error 132015) while it is paused. ${PAUSE_SCHEDULE}`,
        todo: 'switch your sends to another approved template now; then improve this one (content, audience, how often it is sent) and submit the edit, so that it is not paused again.',
        page,
      };
    }
    case 'DISABLED':
      return {
        key,
        title,
        facts,
        why: `It was paused too often after low-quality feedback and is disabled for good: every send of it fails (error 132016). ${PAUSE_SCHEDULE}`,
        todo: 'create a new template with different content, get it approved, and move your sends to it; stop the campaigns that still use this one.',
        page,
      };
    case 'REJECTED':
      return {
        key,
        title,
        facts,
        why: 'Meta’s review rejected it: it cannot be sent until a corrected version is approved.',
        todo: `fix what the reason says${d.rejectionInfo?.recommendation ? ` (${d.rejectionInfo.recommendation})` : ''} and submit it again, or request a review in WhatsApp Manager if the rejection is wrong.`,
        page,
      };
    case 'FLAGGED':
      return {
        key,
        title,
        facts,
        why: `Recipients gave it negative feedback: its quality is low and it will be paused if that goes on. ${PAUSE_SCHEDULE}`,
        todo: 'review its content and who receives it, and slow down or stop the campaigns that send it until its quality recovers.',
        page,
      };
  }
  return null;
}

function templateQualityAlert(e: AnyWharfEvent & { name: 'template.quality' }): Alert | null {
  const d = e.data;
  if (d.newQualityScore !== 'RED') return null;
  const label = templateLabel(d);
  return {
    key: `template-quality:${templateKey(d)}:RED`,
    title: `Template ${label} quality is RED (low)`,
    facts: [`Quality: ${d.previousQualityScore ?? '?'} → RED`],
    why: `Low quality is how pauses start. ${PAUSE_SCHEDULE}`,
    todo: 'slow down or stop the campaigns that send it, check who receives it (only people who asked for it) and make its content more useful; move urgent sends to another template.',
    page: '/ui/#/templates',
  };
}

function numberQualityAlert(e: AnyWharfEvent & { name: 'phone_number.quality' }): Alert | null {
  const d = e.data;
  const shown = d.displayPhoneNumber ?? e.displayPhoneNumber;
  const number = shown !== undefined ? `+${shown.replace(/^\+/, '')}` : (e.phoneNumberId ?? 'unknown number');
  const from = d.oldLimit !== undefined ? TIERS.indexOf(d.oldLimit) : -1;
  const to = d.currentLimit !== undefined ? TIERS.indexOf(d.currentLimit) : -1;
  const lowered = from >= 0 && to >= 0 && to < from;
  const facts = [`Number: ${number}`];
  if (d.oldLimit || d.currentLimit)
    facts.push(`Messaging limit: ${d.oldLimit ?? '?'} → ${d.currentLimit ?? '?'}`);
  const page = '/ui/#/phone-numbers';
  if (d.event === 'DOWNGRADE' || lowered)
    return {
      key: `number-limit:${number}:${d.currentLimit ?? d.event ?? ''}`,
      title: `Messaging limit of ${number} lowered`,
      facts,
      why: 'You can now start conversations with fewer people per 24 hours; business-initiated sends beyond the new limit are refused.',
      todo: 'slow campaigns down to fit the new limit, and raise quality (fewer blocks and reports: send only to people who asked) to be upgraded again.',
      page,
    };
  if (d.event === 'FLAGGED')
    return {
      key: `number-quality:${number}:FLAGGED`,
      title: `Quality of ${number} is low (flagged)`,
      facts,
      why: 'If quality does not improve within about 7 days, Meta lowers the number’s messaging limit.',
      todo: 'pause or slow the campaigns from this number and review which messages get blocked or reported.',
      page,
    };
  return null;
}

function accountAlert(e: AnyWharfEvent & { name: 'account.update' }): Alert | null {
  const d = e.data;
  const page = '/ui/#/account';
  switch (d.event) {
    case 'ACCOUNT_RESTRICTION': {
      if (d.restrictions.length === 0) return null;
      const facts = d.restrictions.map((r) => {
        const words =
          (r.type !== undefined ? RESTRICTION_WORDS[r.type] : undefined) ?? r.type ?? 'a restriction';
        const until = r.expiresAt !== null ? ` — until ${utc(r.expiresAt)}` : ' — no end date given';
        return `Restricted: ${words}${until}${r.remediation ? ` (${r.remediation})` : ''}`;
      });
      const types = d.restrictions.map((r) => `${r.type ?? ''}@${r.expiresAt ?? ''}`).sort();
      return {
        key: `account-restriction:${e.wabaId}:${types.join(',')}`,
        title: 'WhatsApp account restricted',
        facts: [`Account (WABA): ${e.wabaId}`, ...facts],
        why: 'Meta restricts an account after policy violations or many blocks and reports; the sends the restriction covers fail until it ends, and repeated restrictions can end in a ban.',
        todo: 'stop the sends it covers until it ends; open WhatsApp Manager → Account quality to see the violation, fix its cause, and request a review if it is wrong.',
        page,
      };
    }
    case 'ACCOUNT_VIOLATION':
      return {
        key: `account-violation:${e.wabaId}:${d.violationType ?? ''}`,
        title: `WhatsApp policy violation${d.violationType ? `: ${d.violationType}` : ''}`,
        facts: [`Account (WABA): ${e.wabaId}`],
        why: 'Violations lead to messaging restrictions and, repeated, to the account being disabled.',
        todo: 'read the violation in WhatsApp Manager → Account quality, remove the content or practice it names, and appeal there if it is wrong.',
        page,
      };
    case 'DISABLED_UPDATE': {
      const state = d.banState;
      const date = d.banDate ? ` (${d.banDate})` : '';
      if (state === 'DISABLE')
        return {
          key: `account-ban:${e.wabaId}:DISABLE`,
          title: 'WhatsApp account disabled (banned)',
          facts: [`Account (WABA): ${e.wabaId}${date}`],
          why: 'No message can be sent from any number of this account.',
          todo: 'appeal in WhatsApp Manager → Account quality (or Business Support) and tell the people who rely on these messages.',
          page,
        };
      if (state === 'SCHEDULE_FOR_DISABLE')
        return {
          key: `account-ban:${e.wabaId}:SCHEDULE_FOR_DISABLE`,
          title: `WhatsApp account scheduled to be disabled${date}`,
          facts: [`Account (WABA): ${e.wabaId}`],
          why: 'On that date every number of this account stops sending.',
          todo: 'appeal before the date in WhatsApp Manager → Account quality, and fix the violations it lists.',
          page,
        };
      return null;
    }
  }
  return null;
}

function metaAccountAlert(e: AnyWharfEvent & { name: 'account.alert' }): Alert | null {
  const d = e.data;
  if (d.severity === undefined || !/CRITICAL|WARNING|HIGH/i.test(d.severity)) return null;
  return {
    key: `meta-alert:${d.entityId ?? e.wabaId}:${d.alertType ?? ''}`,
    title: `WhatsApp ${d.severity.toLowerCase()} alert${d.alertType ? `: ${d.alertType}` : ''}`,
    facts: [
      d.description ?? 'Meta gave no description',
      `About: ${d.entityType ?? 'account'} ${d.entityId ?? e.wabaId}`,
    ],
    why: 'Meta raises it when something on the account needs attention before it affects sending.',
    todo: 'read it in WhatsApp Manager and follow what it asks.',
    page: '/ui/#/account',
  };
}

function wharfAlert(e: AnyWharfEvent): Alert | null {
  switch (e.name) {
    case 'wharf.destination.failing': {
      const d = e.data;
      return {
        key: `destination-failing:${d.destinationId}:${d.failingSince}`,
        title: `Destination ${d.destinationName} has been failing since ${utc(d.failingSince)}`,
        facts: [`It will be disabled at ${utc(d.disableAt)} unless an attempt succeeds first.`],
        why: 'Its events are waiting and retried; once disabled it receives nothing more until re-enabled.',
        todo: 'open its attempt log to see the error, fix the receiver; waiting events are delivered by themselves once it answers.',
        page: `/ui/#/destinations/${encodeURIComponent(d.destinationId)}`,
      };
    }
    case 'wharf.destination.disabled': {
      const d = e.data;
      return {
        key: `destination-disabled:${d.destinationId}`,
        title: `Destination ${d.destinationName} was disabled`,
        facts: [`Reason: ${d.reason}`],
        why: 'It receives no events until it is enabled again; what happens meanwhile is not sent to it.',
        todo: `fix the receiver, enable it again (PATCH /api/v1/destinations/${d.destinationId} {"enabled": true}) and replay the time it missed (POST /api/v1/destinations/${d.destinationId}/replay).`,
        page: `/ui/#/destinations/${encodeURIComponent(d.destinationId)}`,
      };
    }
    case 'wharf.dead_letter': {
      const d = e.data;
      return {
        key: `dead-letter:${d.target}`,
        title: `Wharf gave up delivering ${d.eventName} to ${d.target}`,
        facts: [
          `After ${d.attempts} attempts. Last error: ${d.error.replace(/^[A-Za-z]*Error: /, '')}`,
          `Dead letter ${d.outboxId} (event ${d.eventKey})`,
        ],
        why: 'That event was not delivered and will not be tried again by itself (further dead letters for the same target within the hour are not announced again).',
        todo: `fix the cause, then replay it: POST /api/v1/dead-letters/${d.outboxId}/replay, or from the dashboard.`,
        page: '/ui/#/dead-letters',
      };
    }
    case 'wharf.media.failed': {
      const d = e.data;
      return {
        key: `media-failed:${d.phoneNumberId ?? ''}:${d.error.slice(0, 80)}`,
        title: `Media ${d.mediaId} could not be stored`,
        facts: [
          `After ${d.attempts} attempts. Last error: ${d.error.replace(/^[A-Za-z]*Error: /, '')}`,
          ...(d.wamid ? [`Message ${d.wamid}`] : []),
        ],
        why: 'Meta keeps received media only for a limited time (7 days, each download link 5 minutes): once that passes, the file is lost.',
        todo: 'check WHATSAPP_ACCESS_TOKEN (expired tokens are the usual cause) and the media store (WHARF_MEDIA_DIR or WHARF_MEDIA_S3_URL); Wharf keeps retrying until Meta’s time runs out.',
        page: d.wamid ? `/ui/#/messages/${encodeURIComponent(d.wamid)}` : '/ui/#/messages',
      };
    }
  }
  return null;
}

/** The alert an event calls for, or null when it needs nobody. */
export function alertFor(e: AnyWharfEvent): Alert | null {
  switch (e.name) {
    case 'template.status':
      return templateStatusAlert(e);
    case 'template.quality':
      return templateQualityAlert(e);
    case 'phone_number.quality':
      return numberQualityAlert(e);
    case 'account.update':
      return accountAlert(e);
    case 'account.alert':
      return metaAccountAlert(e);
  }
  return wharfAlert(e);
}

/** Events that may be alerts: for these, a destination without `all_updates` sends only the alerts. */
export const ALERT_EVENT_NAMES: ReadonlySet<string> = new Set([
  'template.status',
  'template.quality',
  'phone_number.quality',
  'account.update',
  'account.alert',
]);

/** A dashboard link, or null without WHARF_PUBLIC_URL. */
export function dashboardLink(publicUrl: string | undefined, page: string): string | null {
  if (publicUrl === undefined || publicUrl === '') return null;
  return `${publicUrl.replace(/\/+$/, '')}${page}`;
}
