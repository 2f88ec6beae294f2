/** Template fields (Meta's docs on template fields): one event per change. */
import type { TemplateRef } from '../../events/data-types/templates.js';
import type { Loose } from '../../meta/common.js';
import type {
  WireTemplateCategoryValue,
  WireTemplateComponentsValue,
  WireTemplateQualityValue,
  WireTemplateStatusValue,
} from '../../meta/templates.js';
import type { ChangeContext } from './context.js';
import { emitManagement } from './management.js';
import { epochMs, list, obj, str, strOrNull, type Obj } from './read.js';

function ref(v: Loose<WireTemplateStatusValue>): TemplateRef {
  return {
    templateId: str(v.message_template_id),
    templateName: str(v.message_template_name),
    language: str(v.message_template_language),
  };
}

export function normalizeTemplateStatus(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireTemplateStatusValue>;
  const other = obj(v.other_info);
  const rejection = obj(v.rejection_info);
  const r = ref(v);
  const event = str(v.event) ?? '';
  emitManagement(ctx, 'template.status', value, [r.templateId, event], {
    ...r,
    event,
    reason: strOrNull(v.reason),
    category: str(v.message_template_category),
    disableDate: epochMs(obj(v.disable_info)?.['disable_date']),
    otherInfo: other ? { title: str(other['title']), description: str(other['description']) } : undefined,
    rejectionInfo: rejection
      ? { reason: str(rejection['reason']), recommendation: str(rejection['recommendation']) }
      : undefined,
  });
}

export function normalizeTemplateQuality(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireTemplateQualityValue>;
  const r = ref(v);
  const score = str(v.new_quality_score);
  emitManagement(ctx, 'template.quality', value, [r.templateId, score], {
    ...r,
    previousQualityScore: str(v.previous_quality_score),
    newQualityScore: score,
  });
}

export function normalizeTemplateComponents(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireTemplateComponentsValue>;
  const r = ref(v);
  emitManagement(ctx, 'template.components', value, [r.templateId], {
    ...r,
    body: str(v.message_template_element),
    title: str(v.message_template_title),
    footer: str(v.message_template_footer),
    buttons: list(v.message_template_buttons).map((b) => {
      const o = obj(b) ?? {};
      return {
        type: str(o['message_template_button_type']),
        text: str(o['message_template_button_text']),
        url: str(o['message_template_button_url']),
        phoneNumber: str(o['message_template_button_phone_number']),
      };
    }),
  });
}

export function normalizeTemplateCategory(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireTemplateCategoryValue>;
  const r = ref(v);
  const correct = str(v.correct_category);
  // The impending (24 h warning) shape carries correct_category; the completed one previous_category.
  const phase = correct !== undefined && str(v.previous_category) === undefined ? 'impending' : 'completed';
  emitManagement(ctx, 'template.category', value, [r.templateId, phase, str(v.new_category)], {
    ...r,
    phase,
    previousCategory: str(v.previous_category),
    newCategory: str(v.new_category),
    correctCategory: correct,
    effectiveAt: epochMs(v.category_update_timestamp),
  });
}

export function normalizeTemplateCategoryDetection(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireTemplateCategoryValue & { category?: string }>;
  const r = ref(v);
  emitManagement(ctx, 'template.category_detection', value, [r.templateId, str(v.correct_category)], {
    ...r,
    category: str(v.category),
    correctCategory: str(v.correct_category),
  });
}
