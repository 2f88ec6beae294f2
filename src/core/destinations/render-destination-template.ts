import { boundedMemo } from '../../util/bounded-memo.js';

/**
 * Subject, routing key, stream and e-mail subject templates: `{name}` (the event
 * name, e.g. `status.failed`) and `{phone_number_id}` (`none` for events without one, such as
 * template or account events). Nothing else is substituted, so a template is checked once, at
 * create time, by `templateProblem`.
 */
export const TEMPLATE_FIELDS = ['name', 'phone_number_id'] as const;

export interface TemplateValues {
  readonly name: string;
  readonly phoneNumberId: string | null;
}

/**
 * Templates split once (a send renders one per message): a destination has one or two. Literal text
 * at even indexes, the field name of a placeholder at odd ones.
 */
const split = boundedMemo(256, (template: string) => template.split(/\{(name|phone_number_id)\}/));

export function renderDestinationTemplate(template: string, v: TemplateValues): string {
  const parts = split(template);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2)
    out += (parts[i] === 'name' ? v.name : (v.phoneNumberId ?? 'none')) + (parts[i + 1] as string);
  return out;
}

/** Why `template` is not usable (an unknown `{placeholder}`), or null. */
export function templateProblem(template: string): string | null {
  for (const m of template.matchAll(/\{([^{}]*)\}/g))
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(m[1]!))
      return `unknown placeholder {${m[1]}}: use {name} or {phone_number_id}`;
  return null;
}

/**
 * Why a NATS subject to publish to is invalid, or null. Tokens are separated by `.`, so an event
 * name like `status.failed` becomes two tokens (`wharf.{name}` → `wharf.status.failed`, which
 * `wharf.status.>` matches). Publishing needs literal tokens: no wildcards, no empty token, no
 * whitespace (https://docs.nats.io/nats-concepts/subjects).
 */
export function natsSubjectProblem(subject: string): string | null {
  if (subject === '') return 'must not be empty';
  if (/\s/.test(subject)) return 'must not contain spaces or other whitespace';
  const tokens = subject.split('.');
  if (tokens.some((t) => t === '')) return 'must not start or end with "." nor hold ".." (an empty token)';
  if (tokens.some((t) => t === '*' || t === '>' || t.includes('*') || t.includes('>')))
    return 'must not hold the wildcards * or > (a message is published to one literal subject)';
  return null;
}
