/** Data of echoes, history, calls, groups and routing events (Meta's docs on conversation-side fields). */
import type { WaErrorInfo } from './common.js';
import type { MessageContent, MessageContext } from './messages.js';
import type { StatusData } from './statuses.js';
import type { InboundMessageBase } from './messages.js';

export interface EchoData {
  readonly from?: string;
  readonly to?: string;
  readonly toUserId?: string;
  readonly toParentUserId?: string;
  readonly context?: MessageContext;
  readonly content: MessageContent;
  readonly errors: readonly WaErrorInfo[];
}

export interface HistoryMessageData {
  /** `chunk`: history[].threads[].messages[]; `media`: the media follow-up (value.messages / value.message_echoes). */
  readonly source: 'chunk' | 'media';
  /** `outbound` when the business sent it (a `to` or `to_user_id`, `from` the business number, or an echo). */
  readonly direction: 'inbound' | 'outbound';
  readonly phase?: number;
  readonly chunkOrder?: number;
  readonly progress?: number;
  readonly threadId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly fromUserId?: string;
  readonly toUserId?: string;
  /** DELIVERED, ERROR, PENDING, PLAYED, READ, SENT (uppercase, as sent). */
  readonly historyStatus?: string;
  readonly context?: MessageContext;
  readonly content: MessageContent;
  readonly errors: readonly WaErrorInfo[];
}

export interface HistoryErrorData {
  readonly error: WaErrorInfo;
  readonly phase?: number;
  readonly chunkOrder?: number;
}

export interface HistoryChunkData {
  readonly phase?: number;
  readonly chunkOrder?: number;
  /** 0–100; 100 = done. */
  readonly progress?: number;
  readonly threadCount: number;
}

export interface CallData {
  /** `wacid.…` */
  readonly callId: string;
  readonly event: 'connect' | 'terminate';
  readonly direction?: string;
  readonly from?: string;
  readonly to?: string;
  readonly fromUserId?: string;
  readonly toUserId?: string;
  readonly fromParentUserId?: string;
  readonly toParentUserId?: string;
  readonly session?: { readonly sdpType?: string; readonly sdp?: string };
  /** COMPLETED / FAILED on terminate. */
  readonly status?: string;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly durationSeconds?: number;
  readonly bizOpaqueCallbackData?: string;
}

export interface CallStatusData {
  readonly callId: string;
  /** RINGING, ACCEPTED, REJECTED, … */
  readonly status: string;
  readonly recipientId?: string;
  readonly recipientUserId?: string;
  readonly bizOpaqueCallbackData?: string;
}

export interface GroupParticipantInfo {
  readonly input?: string;
  readonly waId?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
  readonly username?: string;
  readonly errors: readonly WaErrorInfo[];
}

export interface GroupSettingChange {
  readonly text?: string;
  readonly mimeType?: string;
  readonly sha256?: string;
  readonly updateSuccessful?: boolean;
  readonly errors: readonly WaErrorInfo[];
}

export interface GroupData {
  /** `groups[].type` verbatim (legacy spellings included). */
  readonly type: string;
  readonly groupId?: string;
  readonly requestId?: string;
  readonly subject?: string;
  readonly description?: string;
  readonly inviteLink?: string;
  readonly joinApprovalMode?: string;
  readonly added: readonly GroupParticipantInfo[];
  readonly removed: readonly GroupParticipantInfo[];
  readonly failed: readonly GroupParticipantInfo[];
  readonly reason?: string;
  readonly initiatedBy?: string;
  readonly joinRequestId?: string;
  readonly subjectChange?: GroupSettingChange;
  readonly descriptionChange?: GroupSettingChange;
  readonly pictureChange?: GroupSettingChange;
  readonly errors: readonly WaErrorInfo[];
}

export interface AutomaticEventData {
  readonly id?: string;
  /** LeadSubmitted, Purchase */
  readonly eventName?: string;
  readonly ctwaClid?: string;
  readonly currency?: string;
  /** `custom_data.value` / 1000. */
  readonly amount?: number;
}

export interface PartnerSolutionData {
  readonly event?: string;
  readonly solutionId?: string;
  readonly solutionStatus?: string;
}

export interface PaymentConfigurationData {
  readonly configurationName?: string;
  readonly providerName?: string;
  readonly providerMid?: string;
  readonly status?: string;
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
}

export interface FlowData {
  readonly event: string;
  readonly flowId?: string;
  readonly message?: string;
  readonly oldStatus?: string;
  readonly newStatus?: string;
  readonly alertState?: string;
  readonly threshold?: number;
  readonly errorRate?: number;
  readonly p50LatencyMs?: number;
  readonly p90LatencyMs?: number;
  readonly requestsCount?: number;
  readonly availability?: number;
  readonly warning?: string;
  readonly errors: readonly {
    readonly errorType?: string;
    readonly errorRate?: number;
    readonly errorCount?: number;
  }[];
}

export interface HandoverData {
  /** control_passed, control_taken */
  readonly type: string;
  readonly senderPhoneNumber?: string;
  readonly previousOwnerAppId?: string;
  readonly previousOwnerRole?: string;
  readonly newOwnerAppId?: string;
  readonly newOwnerRole?: string;
  readonly metadata?: string;
  readonly summary?: string;
}

/** One copied item of a `standby` value. */
export type StandbyData =
  | { readonly kind: 'message'; readonly message: InboundMessageBase & MessageContent }
  | { readonly kind: 'status'; readonly status: StatusData }
  | { readonly kind: 'echo'; readonly echo: EchoData }
  | { readonly kind: 'empty' };

export interface ValueErrorData {
  readonly error: WaErrorInfo;
}
