/**
 * history (Meta's docs on `history`). Items: every message of every thread of every chunk, every chunk
 * error (2593109: sharing declined), every media follow-up message/echo, and a chunk holding none
 * of those (a progress marker) as one `history.chunk`.
 */
import type { HistoryMessageData } from '../../events/data-types/conversations.js';
import type { Loose } from '../../meta/common.js';
import type { WireHistoryChunk, WireHistoryMessage, WireHistoryThread } from '../../meta/history.js';
import { hashKey, scopedIdKey } from '../event-key.js';
import { ContactIndex, emit, identity, type ChangeContext } from './context.js';
import { waError, waErrors } from './errors.js';
import { messageContent } from './message-content.js';
import { messageContext } from './message-parts.js';
import { walk } from './messages.js';
import { epochMs, list, num, obj, phone, str, type Obj } from './read.js';
import { emitUnknown } from './unknown.js';

interface ChunkInfo {
  readonly phase?: number;
  readonly chunkOrder?: number;
  readonly progress?: number;
  readonly threadId?: string;
  readonly thread?: Obj;
}

function historyMessage(
  ctx: ChangeContext,
  item: unknown,
  info: ChunkInfo,
  source: 'chunk' | 'media',
  echo: boolean,
) {
  const m = obj(item);
  if (m === undefined) {
    emitUnknown(ctx, 'history message is not an object', item);
    return;
  }
  const w = m as Loose<WireHistoryMessage>;
  const to = phone(w.to);
  const toUserId = str(w.to_user_id);
  const from = phone(w.from);
  const wamid = str(w.id);
  // A business message to a BSUID-only user has `to_user_id` and no `to` (Meta's docs on business-scoped user ids and usernames); its
  // `from` is the business number.
  const outbound =
    echo ||
    to !== undefined ||
    toUserId !== undefined ||
    (from !== undefined && from === ctx.displayPhoneNumber);
  const data: HistoryMessageData = {
    source,
    direction: outbound ? 'outbound' : 'inbound',
    phase: info.phase,
    chunkOrder: info.chunkOrder,
    progress: info.progress,
    threadId: info.threadId,
    from,
    to,
    fromUserId: str(w.from_user_id),
    toUserId,
    historyStatus: str(obj(w.history_context)?.['status']),
    context: messageContext(w.context),
    content: messageContent(m),
    errors: waErrors(w.errors),
  };
  const t = info.thread;
  const contact = t
    ? identity(
        phone(t['wa_id']) ?? info.threadId,
        str(t['user_id']),
        str(t['parent_user_id']),
        str(t['username']),
      )
    : data.direction === 'outbound'
      ? identity(to, toUserId, undefined)
      : identity(data.from, data.fromUserId, str(m['from_parent_user_id']));
  emit(ctx, 'history.message', {
    key:
      wamid === undefined
        ? hashKey(ctx.field, ctx.wabaId, item)
        : scopedIdKey('history', ctx.phoneNumberId, wamid),
    occurredAt: epochMs(w.timestamp) ?? ctx.entryTime,
    contact,
    wamid,
    data,
    raw: item,
  });
}

function chunk(ctx: ChangeContext, item: unknown): void {
  const c = obj(item) as Loose<WireHistoryChunk> | undefined;
  if (c === undefined) {
    emitUnknown(ctx, 'history chunk is not an object', item);
    return;
  }
  const meta = obj(c.metadata) ?? {};
  const base = {
    phase: num(meta['phase']),
    chunkOrder: num(meta['chunk_order']),
    progress: num(meta['progress']),
  };
  let n = 0;
  for (const e of list(c.errors)) {
    n++;
    emit(ctx, 'history.error', {
      key: hashKey(ctx.field, ctx.wabaId, e),
      occurredAt: ctx.entryTime,
      data: { error: waError(e), phase: base.phase, chunkOrder: base.chunkOrder },
      raw: e,
    });
  }
  const threads = list(c.threads);
  for (const t of threads) {
    const thread = obj(t) as Loose<WireHistoryThread> | undefined;
    const info = { ...base, threadId: phone(thread?.id), thread: obj(thread?.context) };
    for (const m of list(thread?.messages)) {
      n++;
      historyMessage(ctx, m, info, 'chunk', false);
    }
  }
  if (n === 0) {
    emit(ctx, 'history.chunk', {
      key: hashKey(ctx.field, ctx.wabaId, item),
      occurredAt: ctx.entryTime,
      data: { ...base, threadCount: threads.length },
      raw: item,
    });
  }
}

export function normalizeHistory(ctx: ChangeContext, value: Obj): void {
  const none = new ContactIndex(undefined);
  let n = walk(ctx, value, 'history', none, chunk);
  n += walk(ctx, value, 'messages', none, (c, i) => historyMessage(c, i, {}, 'media', false));
  n += walk(ctx, value, 'message_echoes', none, (c, i) => historyMessage(c, i, {}, 'media', true));
  if (n === 0) emitUnknown(ctx, 'history value holds no history, messages or message_echoes', value);
}
