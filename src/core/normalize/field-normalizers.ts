/** Webhook field → normalizer of one change's value. A field missing here yields an `unknown` event. */
import type { KnownField } from '../../meta/fields.js';
import type { ChangeContext } from './context.js';
import type { Obj } from './read.js';
import {
  normalizeAccountAlert,
  normalizeAccountReview,
  normalizeAccountSettings,
  normalizeAccountUpdate,
  normalizeBusinessCapability,
} from './account.js';
import { normalizeFlows, normalizePartnerSolution, normalizePaymentConfiguration } from './business.js';
import { normalizeCalls } from './calls.js';
import { normalizeEchoes } from './echoes.js';
import { normalizeGroups } from './groups.js';
import { normalizeHistory } from './history.js';
import { normalizeMessages } from './messages.js';
import {
  normalizeBusinessUsername,
  normalizePhoneNumberName,
  normalizePhoneNumberQuality,
  normalizeSecurity,
} from './phone-number.js';
import { normalizeAutomaticEvents, normalizeHandover, normalizeStandby } from './routing.js';
import {
  normalizeTemplateCategory,
  normalizeTemplateCategoryDetection,
  normalizeTemplateComponents,
  normalizeTemplateQuality,
  normalizeTemplateStatus,
} from './templates.js';
import { normalizeAppStateSync, normalizeUserIdUpdate, normalizeUserPreferences } from './users.js';

export type FieldNormalizer = (ctx: ChangeContext, value: Obj) => void;

export const FIELD_NORMALIZERS: Readonly<Record<KnownField, FieldNormalizer>> = {
  messages: normalizeMessages,
  message_template_status_update: normalizeTemplateStatus,
  message_template_quality_update: normalizeTemplateQuality,
  message_template_components_update: normalizeTemplateComponents,
  template_category_update: normalizeTemplateCategory,
  template_correct_category_detection: normalizeTemplateCategoryDetection,
  account_update: normalizeAccountUpdate,
  account_alerts: normalizeAccountAlert,
  account_review_update: normalizeAccountReview,
  account_settings_update: normalizeAccountSettings,
  business_capability_update: normalizeBusinessCapability,
  phone_number_name_update: normalizePhoneNumberName,
  phone_number_quality_update: normalizePhoneNumberQuality,
  security: normalizeSecurity,
  user_preferences: normalizeUserPreferences,
  user_id_update: normalizeUserIdUpdate,
  business_username_update: normalizeBusinessUsername,
  business_username_updates: normalizeBusinessUsername,
  history: normalizeHistory,
  smb_app_state_sync: normalizeAppStateSync,
  smb_message_echoes: normalizeEchoes,
  // Listed in the App Dashboard without a payload page [Unconfirmed]; read like smb_message_echoes.
  message_echoes: normalizeEchoes,
  flows: normalizeFlows,
  calls: normalizeCalls,
  group_lifecycle_update: normalizeGroups,
  group_participants_update: normalizeGroups,
  group_participant_update: normalizeGroups,
  group_settings_update: normalizeGroups,
  group_status_update: normalizeGroups,
  automatic_events: normalizeAutomaticEvents,
  partner_solutions: normalizePartnerSolution,
  payment_configuration_update: normalizePaymentConfiguration,
  messaging_handovers: normalizeHandover,
  standby: normalizeStandby,
};

export function fieldNormalizer(field: string): FieldNormalizer | undefined {
  return Object.hasOwn(FIELD_NORMALIZERS, field) ? FIELD_NORMALIZERS[field as KnownField] : undefined;
}
