import { delivery, entry } from './envelope.js';
import type { Delivery, Scenario, ScenarioContext, Step } from './types.js';

interface Template {
  readonly id: number;
  readonly name: string;
}

/** `message_template_id` is a JSON number (~1.7e15, below 2^53). */
function template(ctx: ScenarioContext, name: string): Template {
  return { id: Number(ctx.ids.digits(16)), name };
}

function templateDelivery(
  ctx: ScenarioContext,
  field: string,
  value: Record<string, unknown>,
  at: number,
): Delivery {
  return delivery(entry(ctx.business, [{ field, value }], ctx.now + at));
}

/** `message_template_status_update` (Meta's docs on `message_template_status_update`). */
function statusUpdate(
  ctx: ScenarioContext,
  t: Template,
  event: string,
  at: number,
  extra: Record<string, unknown>,
): Step {
  const value = {
    event,
    message_template_id: t.id,
    message_template_name: t.name,
    message_template_language: 'es_ES',
    reason: 'NONE',
    message_template_category: 'MARKETING',
    ...extra,
  };
  return {
    kind: 'delivery',
    label: `template ${t.name} ${event}`,
    body: templateDelivery(ctx, 'message_template_status_update', value, at),
  };
}

export const templateLifecycle: Scenario = {
  name: 'template-paused-disabled-reinstated',
  description:
    'Template status changes: one paused then reinstated, another paused a second time then disabled',
  build(ctx) {
    const rebajas = template(ctx, 'rebajas_enero');
    const promo = template(ctx, 'promo_semanal');
    const steps: Step[] = [
      statusUpdate(ctx, rebajas, 'PAUSED', 0, {
        other_info: { title: 'FIRST_PAUSE', description: 'Paused for 3 hours after low-quality feedback' },
      }),
      statusUpdate(ctx, rebajas, 'REINSTATED', 3 * 3600, {
        other_info: { title: 'UNPAUSE', description: 'Your template is active again' },
      }),
      statusUpdate(ctx, promo, 'PAUSED', 60, {
        other_info: { title: 'SECOND_PAUSE', description: 'Paused for 6 hours after low-quality feedback' },
      }),
      statusUpdate(ctx, promo, 'DISABLED', 7 * 3600, {
        reason: 'NONE',
        disable_info: { disable_date: ctx.now + 7 * 3600 },
        other_info: { title: 'DISABLED', description: 'Disabled after repeated pauses' },
      }),
    ];
    return { steps, expect: { events: { 'template.status': 4 } } };
  },
};

/** `message_template_quality_update` (Meta's docs on `message_template_quality_update`): GREEN → YELLOW → RED. */
export const templateQualityDowngrade: Scenario = {
  name: 'template-quality-downgrade',
  description: 'Template quality drops GREEN → YELLOW → RED, the warning before a pause',
  build(ctx) {
    const t = template(ctx, 'recordatorio_cita');
    const hop = (previous: string, next: string, at: number): Step => ({
      kind: 'delivery',
      label: `template quality ${previous} → ${next}`,
      body: templateDelivery(
        ctx,
        'message_template_quality_update',
        {
          previous_quality_score: previous,
          new_quality_score: next,
          message_template_id: t.id,
          message_template_name: t.name,
          message_template_language: 'es_ES',
        },
        at,
      ),
    });
    return {
      steps: [hop('GREEN', 'YELLOW', 0), hop('YELLOW', 'RED', 86400)],
      expect: { events: { 'template.quality': 2 } },
    };
  },
};
