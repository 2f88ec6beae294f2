/**
 * A PATCH /api/v1/conversations/{id} body → the annotations to store, or the first field that is
 * wrong and why (answered 422 CONVERSATION_FIELD_INVALID naming it). Bounds keep a note a note and a
 * label a label: the `conversation` destination format sends labels comma-separated, so a label
 * holds no comma.
 */
import type { ConversationAnnotations } from '../ports/conversation-store.js';

export const NOTE_MAX = 4000;
export const LABEL_MAX = 64;
export const LABELS_MAX = 50;

export type PatchResult =
  | { readonly ok: true; readonly value: ConversationAnnotations }
  | { readonly ok: false; readonly field: string; readonly reason: string };

const FIELDS = ['note', 'automation_notes', 'labels'] as const;

const fail = (field: string, reason: string): PatchResult => ({ ok: false, field, reason });

function text(value: unknown, field: string): string | null | PatchResult {
  if (value === null) return null;
  if (typeof value !== 'string') return fail(field, 'must be a string or null');
  if (value.length > NOTE_MAX) return fail(field, `must be at most ${NOTE_MAX} characters`);
  return value;
}

function labels(value: unknown): readonly string[] | PatchResult {
  if (!Array.isArray(value)) return fail('labels', 'must be an array of strings');
  if (value.length > LABELS_MAX) return fail('labels', `must hold at most ${LABELS_MAX} labels`);
  const out: string[] = [];
  for (const [i, l] of value.entries()) {
    const field = `labels[${i}]`;
    if (typeof l !== 'string') return fail(field, 'must be a string');
    const label = l.trim();
    if (label === '') return fail(field, 'must not be empty');
    if (label.length > LABEL_MAX) return fail(field, `must be at most ${LABEL_MAX} characters`);
    if (label.includes(',')) return fail(field, 'must not contain a comma');
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

const isFailure = (x: unknown): x is PatchResult =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && 'ok' in x;

export function parseConversationPatch(body: unknown): PatchResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail('body', 'must be a JSON object with note, automation_notes or labels');
  const unknownField = Object.keys(body).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknownField !== undefined)
    return fail(
      unknownField,
      'is not a field of a conversation that can be changed (note, automation_notes, labels)',
    );
  const b = body as Record<string, unknown>;
  const value: { note?: string | null; automationNotes?: string | null; labels?: readonly string[] } = {};
  if ('note' in b) {
    const v = text(b['note'], 'note');
    if (isFailure(v)) return v;
    value.note = v;
  }
  if ('automation_notes' in b) {
    const v = text(b['automation_notes'], 'automation_notes');
    if (isFailure(v)) return v;
    value.automationNotes = v;
  }
  if ('labels' in b) {
    const v = labels(b['labels']);
    if (isFailure(v)) return v;
    value.labels = v;
  }
  return { ok: true, value };
}
