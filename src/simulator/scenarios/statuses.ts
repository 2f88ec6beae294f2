import { contactOf, delivery, entry, messagesChange, ts } from './envelope.js';
import { errorObject } from './error-object.js';
import type { Delivery, Person, ScenarioContext } from './types.js';

export type PricingCategory = 'marketing' | 'utility' | 'authentication' | 'service';

export interface StatusOptions {
  readonly pricing?: PricingCategory;
  readonly errorCode?: number;
  readonly callbackData?: string;
}

/**
 * A `statuses[]` item (Meta's docs on the status object). BSUID-era rules: `recipient_id` only when the number is
 * shared, `recipient_user_id` except on failed messages sent by phone, pricing per PMP (Meta's docs on pricing).
 */
export function statusItem(
  ctx: ScenarioContext,
  wamid: string,
  person: Person,
  status: string,
  offsetSeconds: number,
  options: StatusOptions = {},
): Record<string, unknown> {
  const failed = status === 'failed';
  const item: Record<string, unknown> = { id: wamid, status, timestamp: ts(ctx, offsetSeconds) };
  if (person.waId !== undefined) item['recipient_id'] = person.waId;
  if (!failed || person.waId === undefined) item['recipient_user_id'] = person.userId;
  if (options.callbackData !== undefined) item['biz_opaque_callback_data'] = options.callbackData;
  if (options.pricing !== undefined && !failed) {
    const free = options.pricing === 'service';
    item['pricing'] = {
      billable: !free,
      pricing_model: 'PMP',
      type: free ? 'free_customer_service' : 'regular',
      category: options.pricing,
    };
  }
  if (options.errorCode !== undefined) item['errors'] = [errorObject(options.errorCode)];
  return item;
}

/** One status in its own delivery; `contacts[]` is sent for sent/delivered/read but not failed (Meta's docs on the status object). */
export function statusDelivery(
  ctx: ScenarioContext,
  person: Person,
  item: Record<string, unknown>,
): Delivery {
  const status = item['status'];
  const value: Record<string, unknown> =
    status === 'failed'
      ? { statuses: [item] }
      : { contacts: [contactOf(person, status !== 'sent')], statuses: [item] };
  return delivery(entry(ctx.business, [messagesChange(ctx.business, value)]));
}
