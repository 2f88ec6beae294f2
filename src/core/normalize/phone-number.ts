/** Number-scoped fields (Meta's docs on phone number fields; `business_username_update`): one event per change, routed by display number. */
import type { Loose } from '../../meta/common.js';
import type {
  WireBusinessUsernameValue,
  WirePhoneNumberNameValue,
  WirePhoneNumberQualityValue,
  WireSecurityValue,
} from '../../meta/phone-number.js';
import type { ChangeContext } from './context.js';
import { emitManagement } from './management.js';
import { phone, str, strOrNull, type Obj } from './read.js';

export function normalizePhoneNumberName(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WirePhoneNumberNameValue>;
  const display = phone(v.display_phone_number);
  const decision = str(v.decision);
  emitManagement(
    ctx,
    'phone_number.name',
    value,
    [display, decision],
    {
      displayPhoneNumber: display,
      decision,
      requestedVerifiedName: str(v.requested_verified_name),
      rejectionReason: strOrNull(v.rejection_reason),
    },
    { displayPhoneNumber: display },
  );
}

export function normalizePhoneNumberQuality(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WirePhoneNumberQualityValue>;
  const display = phone(v.display_phone_number);
  const event = str(v.event);
  const perBusiness = v.max_daily_conversations_per_business;
  emitManagement(
    ctx,
    'phone_number.quality',
    value,
    [display, event],
    {
      displayPhoneNumber: display,
      event,
      currentLimit: str(v.current_limit),
      oldLimit: str(v.old_limit),
      maxDailyConversationsPerBusiness: typeof perBusiness === 'number' ? perBusiness : str(perBusiness),
    },
    { displayPhoneNumber: display },
  );
}

export function normalizeSecurity(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireSecurityValue>;
  const display = phone(v.display_phone_number);
  const event = str(v.event);
  emitManagement(
    ctx,
    'security',
    value,
    [display, event],
    { displayPhoneNumber: display, event, requester: str(v.requester) },
    { displayPhoneNumber: display },
  );
}

export function normalizeBusinessUsername(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireBusinessUsernameValue>;
  const display = phone(v.display_phone_number);
  const status = str(v.status);
  emitManagement(
    ctx,
    'business.username',
    value,
    [display, status, str(v.username)],
    { displayPhoneNumber: display, username: str(v.username), status },
    { displayPhoneNumber: display },
  );
}
