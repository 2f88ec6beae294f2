/** Data of `template.*` events (Meta's docs on template fields). Enum values are kept verbatim (open sets). */

export interface TemplateRef {
  /** Always a string (Meta sends a JSON number). */
  readonly templateId?: string;
  readonly templateName?: string;
  readonly language?: string;
}

export interface TemplateStatusData extends TemplateRef {
  /** APPROVED, REJECTED, PAUSED, DISABLED, … */
  readonly event: string;
  readonly reason?: string | null;
  readonly category?: string;
  readonly disableDate: number | null;
  readonly otherInfo?: { readonly title?: string; readonly description?: string };
  readonly rejectionInfo?: { readonly reason?: string; readonly recommendation?: string };
}

export interface TemplateQualityData extends TemplateRef {
  readonly previousQualityScore?: string;
  readonly newQualityScore?: string;
}

export interface TemplateButtonInfo {
  readonly type?: string;
  readonly text?: string;
  readonly url?: string;
  readonly phoneNumber?: string;
}

export interface TemplateComponentsData extends TemplateRef {
  readonly body?: string;
  readonly title?: string;
  readonly footer?: string;
  readonly buttons: readonly TemplateButtonInfo[];
}

export interface TemplateCategoryData extends TemplateRef {
  /** `impending`: a 24 h warning (correct_category present); `completed`: recategorised. */
  readonly phase: 'impending' | 'completed';
  readonly previousCategory?: string;
  /** On the impending shape this is the *current* category (Meta's naming). */
  readonly newCategory?: string;
  readonly correctCategory?: string;
  readonly effectiveAt: number | null;
}

export interface TemplateCategoryDetectionData extends TemplateRef {
  readonly category?: string;
  readonly correctCategory?: string;
}
