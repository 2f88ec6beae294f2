/** WABA-level fields (Meta's docs on account fields; `account_settings_update`): one event per change. */
import type { AccountUpdateData } from '../../events/data-types/account.js';
import type { Loose } from '../../meta/common.js';
import type {
  WireAccountAlertsValue,
  WireAccountSettingsValue,
  WireAccountUpdateValue,
  WireBusinessCapabilityValue,
} from '../../meta/account.js';
import type { ChangeContext } from './context.js';
import { emitManagement } from './management.js';
import { epochMs, list, num, obj, phone, str, strList, type Obj } from './read.js';

function accountUpdateData(v: Loose<WireAccountUpdateValue>, value: Obj): AccountUpdateData {
  const ban = obj(v.ban_info);
  const waba = obj(v.waba_info);
  const disc = obj(v.disconnection_info);
  const tier = obj(v.volume_tier_info);
  const cert = obj(v.partner_client_certification_info) ?? obj(v.partner_client_certification_needed_info);
  const details: Record<string, unknown> = {};
  for (const k of Object.keys(value)) if (k !== 'event') details[k] = value[k];
  return {
    event: str(v.event) ?? '',
    phoneNumber: phone(v.phone_number),
    restrictions: list(v.restriction_info).map((r) => {
      const o = obj(r) ?? {};
      return {
        type: str(o['restriction_type']),
        expiresAt: epochMs(o['expiration']),
        remediation: str(o['remediation']),
      };
    }),
    violationType: str(obj(v.violation_info)?.['violation_type']),
    banState: ban ? str(ban['waba_ban_state']) : undefined,
    banDate: ban ? str(ban['waba_ban_date']) : undefined,
    country: str(v.country),
    wabaInfo: waba
      ? {
          wabaId: str(waba['waba_id']),
          ownerBusinessId: str(waba['owner_business_id']),
          partnerAppId: str(waba['partner_app_id']),
          solutionId: str(waba['solution_id']),
        }
      : undefined,
    disconnection: disc ? { reason: str(disc['reason']), initiatedBy: str(disc['initiated_by']) } : undefined,
    volumeTier: tier
      ? {
          updatedAt: epochMs(tier['tier_update_time']),
          pricingCategory: str(tier['pricing_category']),
          tier: str(tier['tier']),
          effectiveMonth: str(tier['effective_month']),
          region: str(tier['region']),
        }
      : undefined,
    certification: cert
      ? {
          clientBusinessId: str(cert['client_business_id']),
          status: str(cert['status']),
          rejectionReasons: strList(cert['rejection_reasons']),
        }
      : undefined,
    details,
  };
}

export function normalizeAccountUpdate(ctx: ChangeContext, value: Obj): void {
  const data = accountUpdateData(value as Loose<WireAccountUpdateValue>, value);
  // Volume tier updates may come several times for one switch; tier_update_time tells them apart (Meta's docs on duplicates).
  emitManagement(ctx, 'account.update', value, [data.event, data.volumeTier?.updatedAt ?? undefined], data);
}

export function normalizeAccountAlert(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireAccountAlertsValue>;
  const info = obj(v.alert_info) ?? {};
  const alertType = str(info['alert_type']);
  emitManagement(ctx, 'account.alert', value, [str(v.entity_id), alertType], {
    entityType: str(v.entity_type),
    entityId: str(v.entity_id),
    severity: str(info['alert_severity']),
    status: str(info['alert_status']),
    alertType,
    description: str(info['alert_description']),
  });
}

export function normalizeAccountReview(ctx: ChangeContext, value: Obj): void {
  const decision = str(value['decision']);
  emitManagement(ctx, 'account.review', value, [decision], { decision });
}

export function normalizeAccountSettings(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireAccountSettingsValue>;
  const settings = obj(v.phone_number_settings);
  const phoneNumberId = settings ? str(settings['phone_number_id']) : undefined;
  const occurredAt = epochMs(v.timestamp) ?? ctx.entryTime;
  emitManagement(
    ctx,
    'account.settings',
    value,
    [str(v.type), phoneNumberId],
    { settingsType: str(v.type), phoneNumberId, calling: settings ? obj(settings['calling']) : undefined },
    { occurredAt, phoneNumberId },
  );
}

export function normalizeBusinessCapability(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireBusinessCapabilityValue>;
  const perBusiness = v.max_daily_conversations_per_business;
  emitManagement(ctx, 'business.capability', value, [], {
    // Documented as tier strings, but Meta's own example sends a number: keep whichever came.
    maxDailyConversationsPerBusiness: typeof perBusiness === 'number' ? perBusiness : str(perBusiness),
    maxDailyConversationPerPhone: num(v.max_daily_conversation_per_phone),
    maxPhoneNumbersPerBusiness: num(v.max_phone_numbers_per_business),
    maxPhoneNumbersPerWaba: num(v.max_phone_numbers_per_waba),
  });
}
