/**
 * THE one list of event names. Types, the typed router,
 * API filters and docs/events.md (scripts/gen-events-doc.ts) all derive from EVENT_CATALOG.
 *
 * Each entry: `name`, the Meta webhook `field` that produces it, the `type` discriminator
 * inside that field (message type, status value, `event`/`type` key) and the `item` that
 * yields exactly one such event; `fixture` is a payload under fixtures/payloads/ that produces it.
 */
export interface EventCatalogEntry {
  readonly name: string;
  readonly field: string;
  readonly type: string;
  readonly item: string;
  readonly fixture: string;
}

const MSG = 'value.messages[]';
const STATUS = 'value.statuses[]';
const MGMT = 'the change (one value)';

export const EVENT_CATALOG = [
  { name: 'message.text', field: 'messages', type: 'text', item: MSG, fixture: 'messages/text.json' },
  { name: 'message.image', field: 'messages', type: 'image', item: MSG, fixture: 'messages/image.json' },
  { name: 'message.video', field: 'messages', type: 'video', item: MSG, fixture: 'messages/video.json' },
  {
    name: 'message.audio',
    field: 'messages',
    type: 'audio',
    item: MSG,
    fixture: 'messages/audio-voice.json',
  },
  {
    name: 'message.document',
    field: 'messages',
    type: 'document',
    item: MSG,
    fixture: 'messages/document.json',
  },
  {
    name: 'message.sticker',
    field: 'messages',
    type: 'sticker',
    item: MSG,
    fixture: 'messages/sticker.json',
  },
  {
    name: 'message.location',
    field: 'messages',
    type: 'location',
    item: MSG,
    fixture: 'messages/location.json',
  },
  {
    name: 'message.contacts',
    field: 'messages',
    type: 'contacts',
    item: MSG,
    fixture: 'messages/contacts.json',
  },
  { name: 'message.button', field: 'messages', type: 'button', item: MSG, fixture: 'messages/button.json' },
  {
    name: 'message.button_reply',
    field: 'messages',
    type: 'interactive.button_reply',
    item: MSG,
    fixture: 'messages/interactive-button-reply.json',
  },
  {
    name: 'message.list_reply',
    field: 'messages',
    type: 'interactive.list_reply',
    item: MSG,
    fixture: 'messages/interactive-list-reply.json',
  },
  {
    name: 'message.nfm_reply',
    field: 'messages',
    type: 'interactive.nfm_reply',
    item: MSG,
    fixture: 'messages/interactive-nfm-reply.json',
  },
  {
    name: 'message.call_permission_reply',
    field: 'messages',
    type: 'interactive.call_permission_reply',
    item: MSG,
    fixture: 'messages/interactive-call-permission-reply.json',
  },
  {
    name: 'message.reaction',
    field: 'messages',
    type: 'reaction',
    item: MSG,
    fixture: 'messages/reaction.json',
  },
  { name: 'message.order', field: 'messages', type: 'order', item: MSG, fixture: 'messages/order.json' },
  {
    name: 'message.system',
    field: 'messages',
    type: 'system',
    item: MSG,
    fixture: 'messages/system-changed-number.json',
  },
  {
    name: 'message.unsupported',
    field: 'messages',
    type: 'unsupported',
    item: MSG,
    fixture: 'messages/unsupported.json',
  },
  { name: 'message.revoke', field: 'messages', type: 'revoke', item: MSG, fixture: 'messages/revoke.json' },
  { name: 'message.edit', field: 'messages', type: 'edit', item: MSG, fixture: 'messages/edit.json' },
  {
    name: 'message.request_welcome',
    field: 'messages',
    type: 'request_welcome',
    item: MSG,
    fixture: 'messages/request-welcome.json',
  },
  {
    name: 'message.unknown',
    field: 'messages',
    type: 'any other type or interactive subtype, or a malformed message',
    item: MSG,
    fixture: 'messages/new-type.json',
  },
  {
    name: 'status.sent',
    field: 'messages',
    type: 'sent',
    item: STATUS,
    fixture: 'messages/status-sent.json',
  },
  {
    name: 'status.delivered',
    field: 'messages',
    type: 'delivered',
    item: STATUS,
    fixture: 'messages/status-delivered.json',
  },
  {
    name: 'status.read',
    field: 'messages',
    type: 'read',
    item: STATUS,
    fixture: 'messages/status-read.json',
  },
  {
    name: 'status.played',
    field: 'messages',
    type: 'played',
    item: STATUS,
    fixture: 'messages/status-played.json',
  },
  {
    name: 'status.failed',
    field: 'messages',
    type: 'failed',
    item: STATUS,
    fixture: 'messages/status-failed.json',
  },
  {
    name: 'status.unknown',
    field: 'messages',
    type: 'any other status (deleted, warning, …) or a malformed status',
    item: STATUS,
    fixture: 'messages/status-unknown.json',
  },
  {
    name: 'error',
    field: 'messages (and the messages family)',
    type: 'value.errors',
    item: 'value.errors[]',
    fixture: 'messages/value-errors.json',
  },
  {
    name: 'template.status',
    field: 'message_template_status_update',
    type: 'event',
    item: MGMT,
    fixture: 'message_template_status_update/paused.json',
  },
  {
    name: 'template.quality',
    field: 'message_template_quality_update',
    type: 'new_quality_score',
    item: MGMT,
    fixture: 'message_template_quality_update/yellow.json',
  },
  {
    name: 'template.components',
    field: 'message_template_components_update',
    type: '-',
    item: MGMT,
    fixture: 'message_template_components_update/edited.json',
  },
  {
    name: 'template.category',
    field: 'template_category_update',
    type: 'impending | completed',
    item: MGMT,
    fixture: 'template_category_update/impending.json',
  },
  {
    name: 'template.category_detection',
    field: 'template_correct_category_detection',
    type: '-',
    item: MGMT,
    fixture: 'template_correct_category_detection/detected.json',
  },
  {
    name: 'account.update',
    field: 'account_update',
    type: 'event',
    item: MGMT,
    fixture: 'account_update/restriction.json',
  },
  {
    name: 'account.alert',
    field: 'account_alerts',
    type: 'alert_info.alert_type',
    item: MGMT,
    fixture: 'account_alerts/oba-approved.json',
  },
  {
    name: 'account.review',
    field: 'account_review_update',
    type: 'decision',
    item: MGMT,
    fixture: 'account_review_update/approved.json',
  },
  {
    name: 'account.settings',
    field: 'account_settings_update',
    type: 'type',
    item: MGMT,
    fixture: 'account_settings_update/calling.json',
  },
  {
    name: 'business.capability',
    field: 'business_capability_update',
    type: '-',
    item: MGMT,
    fixture: 'business_capability_update/tier.json',
  },
  {
    name: 'business.username',
    field: 'business_username_update (or business_username_updates)',
    type: 'status',
    item: MGMT,
    fixture: 'business_username_update/approved.json',
  },
  {
    name: 'phone_number.name',
    field: 'phone_number_name_update',
    type: 'decision',
    item: MGMT,
    fixture: 'phone_number_name_update/rejected.json',
  },
  {
    name: 'phone_number.quality',
    field: 'phone_number_quality_update',
    type: 'event',
    item: MGMT,
    fixture: 'phone_number_quality_update/throughput-upgrade.json',
  },
  {
    name: 'security',
    field: 'security',
    type: 'event',
    item: MGMT,
    fixture: 'security/pin-reset-request.json',
  },
  {
    name: 'user.preferences',
    field: 'user_preferences',
    type: 'value (stop | resume)',
    item: 'value.user_preferences[]',
    fixture: 'user_preferences/stop.json',
  },
  {
    name: 'user.id_update',
    field: 'user_id_update',
    type: '-',
    item: 'value.user_id_update[]',
    fixture: 'user_id_update/changed.json',
  },
  {
    name: 'history.message',
    field: 'history',
    type: 'messages[].type',
    item: 'value.history[].threads[].messages[], and value.messages[] / value.message_echoes[] (media follow-up)',
    fixture: 'history/chunk.json',
  },
  {
    name: 'history.error',
    field: 'history',
    type: 'errors (e.g. 2593109 sharing declined)',
    item: 'value.history[].errors[]',
    fixture: 'history/declined.json',
  },
  {
    name: 'history.chunk',
    field: 'history',
    type: 'chunk without messages or errors',
    item: 'value.history[] that holds no message and no error (progress marker)',
    fixture: 'history/empty-chunk.json',
  },
  {
    name: 'app_state.sync',
    field: 'smb_app_state_sync',
    type: 'state_sync[].type / action',
    item: 'value.state_sync[]',
    fixture: 'smb_app_state_sync/contact-add.json',
  },
  {
    name: 'echo.message',
    field: 'smb_message_echoes (or message_echoes)',
    type: 'message_echoes[].type',
    item: 'value.message_echoes[]',
    fixture: 'smb_message_echoes/text.json',
  },
  {
    name: 'flow.status',
    field: 'flows',
    type: 'FLOW_STATUS_CHANGE',
    item: MGMT,
    fixture: 'flows/status-change.json',
  },
  {
    name: 'flow.alert',
    field: 'flows',
    type: 'any other event (error rate, latency, …)',
    item: MGMT,
    fixture: 'flows/latency.json',
  },
  {
    name: 'call.connect',
    field: 'calls',
    type: 'connect',
    item: 'value.calls[]',
    fixture: 'calls/connect.json',
  },
  {
    name: 'call.terminate',
    field: 'calls',
    type: 'terminate',
    item: 'value.calls[]',
    fixture: 'calls/terminate.json',
  },
  {
    name: 'call.status',
    field: 'calls',
    type: 'statuses[].status',
    item: 'value.statuses[] in calls',
    fixture: 'calls/status.json',
  },
  {
    name: 'group.create',
    field: 'group_lifecycle_update',
    type: 'group_create',
    item: 'value.groups[]',
    fixture: 'group_lifecycle_update/create.json',
  },
  {
    name: 'group.delete',
    field: 'group_lifecycle_update',
    type: 'group_delete',
    item: 'value.groups[]',
    fixture: 'group_lifecycle_update/delete.json',
  },
  {
    name: 'group.participants_add',
    field: 'group_participants_update',
    type: 'group_participants_add (or group_add_participants)',
    item: 'value.groups[]',
    fixture: 'group_participants_update/add.json',
  },
  {
    name: 'group.participants_remove',
    field: 'group_participants_update',
    type: 'group_participants_remove (or group_remove_participants)',
    item: 'value.groups[]',
    fixture: 'group_participants_update/remove-legacy-spelling.json',
  },
  {
    name: 'group.join_request_created',
    field: 'group_participants_update',
    type: 'group_join_request_created',
    item: 'value.groups[]',
    fixture: 'group_participants_update/join-request.json',
  },
  {
    name: 'group.join_request_revoked',
    field: 'group_participants_update',
    type: 'group_join_request_revoked',
    item: 'value.groups[]',
    fixture: 'group_participants_update/join-request.json',
  },
  {
    name: 'group.settings_update',
    field: 'group_settings_update',
    type: 'group_settings_update',
    item: 'value.groups[]',
    fixture: 'group_settings_update/subject.json',
  },
  {
    name: 'group.suspend',
    field: 'group_status_update',
    type: 'group_suspend',
    item: 'value.groups[]',
    fixture: 'group_status_update/suspend.json',
  },
  {
    name: 'group.suspend_cleared',
    field: 'group_status_update',
    type: 'group_suspend_cleared',
    item: 'value.groups[]',
    fixture: 'group_status_update/suspend.json',
  },
  {
    name: 'automatic.event',
    field: 'automatic_events',
    type: 'event_name',
    item: 'value.automatic_events[]',
    fixture: 'automatic_events/purchase.json',
  },
  {
    name: 'partner.solution',
    field: 'partner_solutions',
    type: 'event',
    item: MGMT,
    fixture: 'partner_solutions/updated.json',
  },
  {
    name: 'payment.configuration',
    field: 'payment_configuration_update',
    type: 'status',
    item: MGMT,
    fixture: 'payment_configuration_update/needs-testing.json',
  },
  {
    name: 'handover',
    field: 'messaging_handovers',
    type: 'type',
    item: MGMT,
    fixture: 'messaging_handovers/control-passed.json',
  },
  {
    name: 'standby',
    field: 'standby',
    type: 'message | status | echo',
    item: 'value.standby.messages[], .statuses[], .message_echoes[] (one event for a standby holding none)',
    fixture: 'standby/message.json',
  },
  {
    name: 'unknown',
    field: 'any field Wharf does not know, or a malformed entry/change/value',
    type: '-',
    item: 'the change (or the entry, when it is malformed)',
    fixture: 'unknown/tracking-events.json',
  },
  // Wharf's own happenings: stored and delivered like any event, never from Meta, so
  // they have no fixture. Destinations get them only when their filter names them.
  {
    name: 'wharf.destination.failing',
    field: 'wharf',
    type: '-',
    item: 'a destination failing without a success for half of WHARF_DESTINATION_DISABLE_AFTER_HOURS',
    fixture: '',
  },
  {
    name: 'wharf.destination.disabled',
    field: 'wharf',
    type: '-',
    item: 'a destination disabled (410 Gone, or failing for WHARF_DESTINATION_DISABLE_AFTER_HOURS)',
    fixture: '',
  },
  {
    name: 'wharf.dead_letter',
    field: 'wharf',
    type: '-',
    item: 'an outbox row (handler or destination) that used its last attempt',
    fixture: '',
  },
  {
    name: 'wharf.media.failed',
    field: 'wharf',
    type: '-',
    item: 'an inbound media item that could not be stored before Meta expired it',
    fixture: '',
  },
  {
    name: 'wharf.send.refused',
    field: 'wharf',
    type: '-',
    item: 'a send refused by a guard before Meta was called',
    fixture: '',
  },
] as const satisfies readonly EventCatalogEntry[];

export type EventName = (typeof EVENT_CATALOG)[number]['name'];

/** Every event name, in catalog order. */
export const EVENT_NAMES: readonly EventName[] = EVENT_CATALOG.map((e) => e.name);

const NAME_SET: ReadonlySet<string> = new Set(EVENT_NAMES);

/** Wharf's own events (`wharf.*`): no Meta field produces them. */
export const isOperationalEventName = (name: string): boolean => name.startsWith('wharf.');

export function isEventName(value: string): value is EventName {
  return NAME_SET.has(value);
}

/** `message.*`, `status.*`, `group.*`, … : prefixes usable as router wildcards. */
export type EventPrefix = EventName extends infer N ? (N extends `${infer P}.${string}` ? P : never) : never;
