/** Template management fields (Meta's docs on template fields). No `metadata`: routed by entry.id (WABA). */
import type { WireTimestamp } from './common.js';

/** `message_template_id` is a JSON number (~1.7e15, below 2^53); some copies send a string. */
export type WireTemplateId = number | string;

interface WireTemplateRef {
  message_template_id?: WireTemplateId;
  message_template_name?: string;
  /** `en_US` and `en-US` both appear. */
  message_template_language?: string;
}

export type WireTemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION' | (string & {});

/** `message_template_status_update` */
export interface WireTemplateStatusValue extends WireTemplateRef {
  event?:
    | 'APPROVED'
    | 'ARCHIVED'
    | 'UNARCHIVED'
    | 'DELETED'
    | 'DISABLED'
    | 'FLAGGED'
    | 'IN_APPEAL'
    | 'LIMIT_EXCEEDED'
    | 'LOCKED'
    | 'PAUSED'
    | 'PENDING'
    | 'REINSTATED'
    | 'PENDING_DELETION'
    | 'REJECTED'
    | (string & {});
  reason?: string | null;
  message_template_category?: WireTemplateCategory;
  disable_info?: { disable_date?: WireTimestamp };
  other_info?: { title?: string; description?: string };
  rejection_info?: { reason?: string; recommendation?: string };
}

export type WireQualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' | (string & {});

/** `message_template_quality_update` */
export interface WireTemplateQualityValue extends WireTemplateRef {
  previous_quality_score?: WireQualityScore;
  new_quality_score?: WireQualityScore;
}

export interface WireTemplateButton {
  message_template_button_type?: string;
  message_template_button_text?: string;
  message_template_button_url?: string;
  message_template_button_phone_number?: string;
}

/** `message_template_components_update` */
export interface WireTemplateComponentsValue extends WireTemplateRef {
  message_template_element?: string;
  message_template_title?: string;
  message_template_footer?: string;
  message_template_buttons?: WireTemplateButton[];
}

/** `template_category_update` (impending: correct_category + category_update_timestamp; completed: previous_category). */
export interface WireTemplateCategoryValue extends WireTemplateRef {
  previous_category?: WireTemplateCategory;
  new_category?: WireTemplateCategory;
  correct_category?: WireTemplateCategory;
  category_update_timestamp?: WireTimestamp;
}

/** `template_correct_category_detection` (shape from a third party; tolerant). */
export interface WireTemplateCategoryDetectionValue extends WireTemplateRef {
  category?: WireTemplateCategory;
  correct_category?: WireTemplateCategory;
}
