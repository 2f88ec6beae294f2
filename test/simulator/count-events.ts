import type { Step } from '../../src/simulator/scenarios/types.js';

/**
 * An independent, deliberately simple reading of the payloads (walk every entry × change × item,
 * de-duplicate by the keys of reference §1.7) used to cross-check each scenario's hand-written
 * expectation. Not the Wharf normalizer: just enough to catch an expectation that does not match
 * what the scenario actually sends.
 */
/** Every inbound message type of reference §4. */
export const MESSAGE_TYPES = new Set([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'unsupported',
  'revoke',
  'edit',
  'request_welcome',
]);
const STATUSES = new Set(['sent', 'delivered', 'read', 'played', 'failed']);
const FIELD_EVENTS: Record<string, string> = {
  message_template_status_update: 'template.status',
  message_template_quality_update: 'template.quality',
  phone_number_quality_update: 'phone_number.quality',
  account_update: 'account.update',
};

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export function countEvents(steps: readonly Step[]): Record<string, number> {
  const seen = new Set<string>();
  const counts: Record<string, number> = {};
  const add = (name: string, key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    counts[name] = (counts[name] ?? 0) + 1;
  };
  for (const step of steps) {
    if (step.kind !== 'delivery') continue;
    for (const entry of step.body.entry) {
      for (const [c, change] of entry.changes.entries()) {
        const v = change.value as Obj;
        if (change.field === 'messages') {
          for (const m of arr(v['messages'])) {
            const type = String(m['type']);
            const kind = (m['interactive'] as { type?: string } | undefined)?.type;
            const name = type === 'interactive' && kind ? `message.${kind}` : `message.${type}`;
            add(MESSAGE_TYPES.has(type) ? name : 'message.unknown', `m:${String(m['id'])}`);
          }
          for (const s of arr(v['statuses'])) {
            const status = String(s['status']);
            const key = `s:${String(s['id'])}:${status}:${String(s['recipient_participant_user_id'] ?? '')}`;
            add(STATUSES.has(status) ? `status.${status}` : 'status.unknown', key);
          }
        } else if (change.field === 'user_preferences') {
          for (const p of arr(v['user_preferences']))
            add('user.preferences', `p:${String(p['user_id'])}:${String(p['timestamp'])}`);
        } else if (change.field === 'history') {
          for (const h of arr(v['history']))
            for (const t of arr(h['threads']))
              for (const m of arr(t['messages'])) add('history.message', `h:${String(m['id'])}`);
        } else {
          add(
            FIELD_EVENTS[change.field] ?? 'unknown',
            `f:${change.field}:${entry.id}:${entry.time}:${c}:${JSON.stringify(v)}`,
          );
        }
      }
    }
  }
  return counts;
}
