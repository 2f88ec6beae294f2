import { escapeJson } from '../escape-json.js';
import { delivery, entry, messagesChange } from './envelope.js';
import type { Delivery, Scenario, ScenarioContext } from './types.js';

/** Meta's payload ceiling (Meta's docs on batching and payload size). Decimal MB, so the body is under 3 MB by either reading. */
export const HISTORY_MAX_BYTES = 3_000_000;
/** How close to the ceiling the body is filled: "near 3 MB" means within this many bytes. */
const FILL_MARGIN = 2_000;
const MESSAGES_PER_THREAD = 40;

// Mixed scripts on purpose: every non-ASCII character costs 6 bytes once escaped (Meta's docs on event notifications).
const PHRASES = [
  'Hola, ¿a qué hora abrís mañana?',
  'Abrimos a las 9:00 — ¡te esperamos!',
  'Perfecto, gracias 🙏',
  'Envío el pedido a C/ Mayor 12, 3º/B',
  'Ça marche, à bientôt 👋',
  'Danke schön, bis später!',
  'Zamówienie gotowe do odbioru ✅',
  'See https://example.com/menu/today for today’s menu',
];

/** One history item (Meta's docs on `history`): user→business or business→user, device timestamps, uppercase statuses. */
function historyMessage(
  ctx: ScenarioContext,
  waId: string,
  userId: string,
  n: number,
): Record<string, unknown> {
  const fromBusiness = n % 2 === 1;
  const base = {
    ...(fromBusiness
      ? { from: ctx.business.displayPhoneNumber, to: waId }
      : { from: waId, from_user_id: userId }),
    id: ctx.ids.wamid(waId),
    timestamp: String(ctx.now - 90 * 86400 + n * 37),
  };
  if (n % 9 === 8) return { ...base, type: 'media_placeholder', history_context: { status: 'DELIVERED' } };
  const body = PHRASES[ctx.ids.int(0, PHRASES.length - 1)] ?? '';
  return {
    ...base,
    type: 'text',
    text: { body },
    history_context: { status: fromBusiness ? 'READ' : 'DELIVERED' },
  };
}

function historyBody(ctx: ScenarioContext, threads: unknown[]): Delivery {
  const chunk = { metadata: { phase: 1, chunk_order: 1, progress: 100 }, threads };
  return delivery(entry(ctx.business, [messagesChange(ctx.business, { history: [chunk] }, 'history')]));
}

/**
 * Fills one `history` delivery with threads of messages until its escaped size is within
 * FILL_MARGIN of HISTORY_MAX_BYTES. Sizes are tracked incrementally (one escape per message) and
 * checked exactly at the end, so the result is deterministic for a given context.
 */
export function buildHistoryDelivery(ctx: ScenarioContext): { body: Delivery; messages: number } {
  const threads: Array<{ id: string; context: Record<string, string>; messages: unknown[] }> = [];
  let size = escapeJson(historyBody(ctx, [])).length;
  let total = 0;
  for (;;) {
    const waId = '34' + ctx.ids.digits(9);
    const userId = ctx.ids.bsuid('ES');
    const thread = { id: waId, context: { wa_id: waId, user_id: userId }, messages: [] as unknown[] };
    size += escapeJson(thread).length + (threads.length > 0 ? 1 : 0);
    threads.push(thread);
    for (let i = 0; i < MESSAGES_PER_THREAD; i++) {
      const message = historyMessage(ctx, waId, userId, total);
      const added = escapeJson(message).length + (thread.messages.length > 0 ? 1 : 0);
      if (size + added > HISTORY_MAX_BYTES - FILL_MARGIN / 2) return trimToLimit(ctx, threads, total);
      thread.messages.push(message);
      size += added;
      total++;
    }
  }
}

function trimToLimit(
  ctx: ScenarioContext,
  threads: Array<{ messages: unknown[] }>,
  total: number,
): { body: Delivery; messages: number } {
  let body = historyBody(ctx, threads);
  while (escapeJson(body).length > HISTORY_MAX_BYTES) {
    const last = threads[threads.length - 1];
    if (last === undefined) break;
    if (last.messages.pop() !== undefined) total--;
    if (last.messages.length === 0) threads.pop();
    body = historyBody(ctx, threads);
  }
  return { body, messages: total };
}

export const historyNear3Mb: Scenario = {
  name: 'history-near-3mb',
  description: `One coexistence history delivery just under 3 MB once escaped: thousands of messages across hundreds of threads`,
  build(ctx) {
    const { body, messages } = buildHistoryDelivery(ctx);
    return {
      steps: [{ kind: 'delivery', label: `history chunk (${messages} messages)`, body }],
      expect: { events: { 'history.message': messages } },
    };
  },
};
