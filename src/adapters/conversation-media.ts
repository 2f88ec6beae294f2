/**
 * Conversations name their media by Meta's id until media capture stores the file; this marks the
 * ones stored (media_files, state `stored`) so the JSON can give the file's URL instead. One
 * query for every media id of the views.
 */
import type { ConversationMessage, ConversationView } from '../ports/conversation-store.js';
import { placeholders, type SqlRunner } from './conversation-rows.js';

export async function withStoredMedia(
  db: SqlRunner,
  views: readonly ConversationView[],
): Promise<ConversationView[]> {
  const ids = new Set<string>();
  const note = (m: ConversationMessage | null) => m?.mediaId != null && ids.add(m.mediaId);
  for (const v of views) {
    if (v.latestMedia) ids.add(v.latestMedia.id);
    note(v.lastUserMessage);
    note(v.lastBusinessMessage);
    v.recentMessages.forEach(note);
  }
  if (ids.size === 0) return [...views];
  const list = [...ids];
  const rows = await db.rows(
    `SELECT media_id FROM media_files WHERE state = 'stored' AND media_id IN (${placeholders(1, list.length)})`,
    list,
  );
  const stored = new Set(rows.map((r) => String(r['media_id'])));
  if (stored.size === 0) return [...views];
  const mark = <M extends ConversationMessage | null>(m: M): M =>
    m !== null && m.mediaId !== null && stored.has(m.mediaId) ? { ...m, mediaStored: true } : m;
  return views.map((v) => ({
    ...v,
    latestMedia: v.latestMedia && { ...v.latestMedia, stored: stored.has(v.latestMedia.id) },
    lastUserMessage: mark(v.lastUserMessage),
    lastBusinessMessage: mark(v.lastBusinessMessage),
    recentMessages: v.recentMessages.map(mark),
  }));
}
