/**
 * Every contact, merged across its identifiers the way one contact is (state-views.ts contactView:
 * a person seen by phone and by BSUID has a row for each, linked by the wa_id / user_id columns),
 * newest activity first. Shared by both adapters' read stores, which hand it every contacts row.
 */
import type { ContactListEntry } from '../ports/read-store.js';
import { contactView, n, s, type Row } from './state-views.js';

const RANKS = ['wa_id', 'user_id', 'parent_user_id', 'username', 'name', 'replaced_by', 'opt_out'] as const;
const rankTime = (rank: string | null) => (rank === null ? null : Number(rank.slice(0, rank.indexOf('|'))));

/** Latest thing known about the rows: an inbound message, an opt-out, a name or identity change. */
function lastActivity(rows: readonly Row[]): number | null {
  let last: number | null = null;
  for (const r of rows) {
    const times = [n(r['last_inbound_at']), ...RANKS.map((f) => rankTime(s(r[`${f}_rank`])))];
    for (const t of times) if (t !== null && Number.isFinite(t) && (last === null || t > last)) last = t;
  }
  return last;
}

export function contactList(rows: readonly Row[]): ContactListEntry[] {
  // Union-find over identifiers: a row joins its own id, `wa:<wa_id>` and its user_id.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(k, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const r of rows) {
    const id = String(r['id']);
    find(id);
    const wa = s(r['wa_id']);
    const user = s(r['user_id']);
    if (wa !== null) union(id, `wa:${wa}`);
    if (user !== null) union(id, user);
  }
  const groups = new Map<string, Map<string, Row>>();
  for (const r of rows) {
    const root = find(String(r['id']));
    const group = groups.get(root) ?? new Map<string, Row>();
    group.set(String(r['id']), r);
    groups.set(root, group);
  }
  const entries: ContactListEntry[] = [];
  for (const group of groups.values()) {
    const members = [...group.values()];
    const view = contactView(pickKey(members), group);
    entries.push({
      ...view,
      id: view.waId ?? view.userId ?? pickKey(members),
      lastActivityAt: lastActivity(members),
    });
  }
  return entries.sort(
    (a, b) =>
      (b.lastActivityAt ?? -Infinity) - (a.lastActivityAt ?? -Infinity) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The key contactView reads `replaced_by` of: the phone number's row when there is one, else the BSUID's. */
function pickKey(rows: readonly Row[]): string {
  const phone = rows.find((r) => String(r['id']).startsWith('wa:'));
  return String((phone ?? rows[0])?.['id'] ?? '').replace(/^wa:/, '');
}
