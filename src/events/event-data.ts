/**
 * EventDataMap: event name → type of `data`. Must have exactly one key per name in
 * EVENT_CATALOG (checked in test/types/event-data.ts).
 */
import type { UnknownInfo } from './data-types/common.js';
import type { InboundMessageData, InboundMessageBase, ContentOf } from './data-types/messages.js';
import type { StatusData, UnknownStatusData } from './data-types/statuses.js';
import type {
  TemplateCategoryData,
  TemplateCategoryDetectionData,
  TemplateComponentsData,
  TemplateQualityData,
  TemplateStatusData,
} from './data-types/templates.js';
import type {
  AccountAlertData,
  AccountReviewData,
  AccountSettingsData,
  AccountUpdateData,
  BusinessCapabilityData,
  BusinessUsernameData,
  PhoneNumberNameData,
  PhoneNumberQualityData,
  SecurityData,
} from './data-types/account.js';
import type { AppStateSyncData, UserIdUpdateData, UserPreferencesData } from './data-types/users.js';
import type {
  AutomaticEventData,
  CallData,
  CallStatusData,
  EchoData,
  FlowData,
  GroupData,
  HandoverData,
  HistoryChunkData,
  HistoryErrorData,
  HistoryMessageData,
  PartnerSolutionData,
  PaymentConfigurationData,
  StandbyData,
  ValueErrorData,
} from './data-types/conversations.js';
import type {
  WharfDeadLetterData,
  WharfDestinationDisabledData,
  WharfDestinationFailingData,
  WharfMediaFailedData,
  WharfSendRefusedData,
} from './data-types/wharf.js';

export type * from './data-types/common.js';
export type * from './data-types/messages.js';
export type * from './data-types/statuses.js';
export type * from './data-types/templates.js';
export type * from './data-types/account.js';
export type * from './data-types/users.js';
export type * from './data-types/conversations.js';
export type * from './data-types/wharf.js';

export interface EventDataMap {
  'message.text': InboundMessageData<'text'>;
  'message.image': InboundMessageData<'image'>;
  'message.video': InboundMessageData<'video'>;
  'message.audio': InboundMessageData<'audio'>;
  'message.document': InboundMessageData<'document'>;
  'message.sticker': InboundMessageData<'sticker'>;
  'message.location': InboundMessageData<'location'>;
  'message.contacts': InboundMessageData<'contacts'>;
  'message.button': InboundMessageData<'button'>;
  'message.button_reply': InboundMessageData<'button_reply'>;
  'message.list_reply': InboundMessageData<'list_reply'>;
  'message.nfm_reply': InboundMessageData<'nfm_reply'>;
  'message.call_permission_reply': InboundMessageData<'call_permission_reply'>;
  'message.reaction': InboundMessageData<'reaction'>;
  'message.order': InboundMessageData<'order'>;
  'message.system': InboundMessageData<'system'>;
  'message.unsupported': InboundMessageData<'unsupported'>;
  'message.revoke': InboundMessageData<'revoke'>;
  'message.edit': InboundMessageData<'edit'>;
  'message.request_welcome': InboundMessageData<'request_welcome'>;
  'message.unknown': InboundMessageBase & ContentOf<'unknown'>;
  'status.sent': StatusData<'sent'>;
  'status.delivered': StatusData<'delivered'>;
  'status.read': StatusData<'read'>;
  'status.played': StatusData<'played'>;
  'status.failed': StatusData<'failed'>;
  'status.unknown': UnknownStatusData;
  error: ValueErrorData;
  'template.status': TemplateStatusData;
  'template.quality': TemplateQualityData;
  'template.components': TemplateComponentsData;
  'template.category': TemplateCategoryData;
  'template.category_detection': TemplateCategoryDetectionData;
  'account.update': AccountUpdateData;
  'account.alert': AccountAlertData;
  'account.review': AccountReviewData;
  'account.settings': AccountSettingsData;
  'business.capability': BusinessCapabilityData;
  'business.username': BusinessUsernameData;
  'phone_number.name': PhoneNumberNameData;
  'phone_number.quality': PhoneNumberQualityData;
  security: SecurityData;
  'user.preferences': UserPreferencesData;
  'user.id_update': UserIdUpdateData;
  'history.message': HistoryMessageData;
  'history.error': HistoryErrorData;
  'history.chunk': HistoryChunkData;
  'app_state.sync': AppStateSyncData;
  'echo.message': EchoData;
  'flow.status': FlowData;
  'flow.alert': FlowData;
  'call.connect': CallData;
  'call.terminate': CallData;
  'call.status': CallStatusData;
  'group.create': GroupData;
  'group.delete': GroupData;
  'group.participants_add': GroupData;
  'group.participants_remove': GroupData;
  'group.join_request_created': GroupData;
  'group.join_request_revoked': GroupData;
  'group.settings_update': GroupData;
  'group.suspend': GroupData;
  'group.suspend_cleared': GroupData;
  'automatic.event': AutomaticEventData;
  'partner.solution': PartnerSolutionData;
  'payment.configuration': PaymentConfigurationData;
  handover: HandoverData;
  standby: StandbyData;
  /** Unknown field, or an entry/change/value Wharf cannot read. `field` on the event is verbatim. */
  unknown: UnknownInfo;
  'wharf.destination.failing': WharfDestinationFailingData;
  'wharf.destination.disabled': WharfDestinationDisabledData;
  'wharf.dead_letter': WharfDeadLetterData;
  'wharf.media.failed': WharfMediaFailedData;
  'wharf.send.refused': WharfSendRefusedData;
}
