/**
 * Webhook field names Wharf understands (Meta's docs on webhook fields). Anything else becomes an `unknown` event.
 * Alternative spellings seen in Meta's own pages are listed too (Meta's docs on `business_username_update`; Groups API fields).
 */
export const KNOWN_FIELDS = [
  'messages',
  'message_template_status_update',
  'message_template_quality_update',
  'message_template_components_update',
  'template_category_update',
  'template_correct_category_detection',
  'account_update',
  'account_alerts',
  'account_review_update',
  'account_settings_update',
  'business_capability_update',
  'phone_number_name_update',
  'phone_number_quality_update',
  'security',
  'user_preferences',
  'user_id_update',
  'business_username_update',
  'business_username_updates',
  'history',
  'smb_app_state_sync',
  'smb_message_echoes',
  'message_echoes',
  'flows',
  'calls',
  'group_lifecycle_update',
  'group_participants_update',
  'group_participant_update',
  'group_settings_update',
  'group_status_update',
  'automatic_events',
  'partner_solutions',
  'payment_configuration_update',
  'messaging_handovers',
  'standby',
] as const;

export type KnownField = (typeof KNOWN_FIELDS)[number];
