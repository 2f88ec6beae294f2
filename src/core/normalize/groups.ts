/** Groups API fields (Meta's docs on Groups API fields): one `group.*` event per `groups[]` item, named by its `type`. */
import type { GroupParticipantInfo, GroupSettingChange } from '../../events/data-types/conversations.js';
import type { EventName } from '../../events/event-names.js';
import type { Loose } from '../../meta/common.js';
import type { WireGroupItem } from '../../meta/groups.js';
import { hashKey } from '../event-key.js';
import { ContactIndex, emit, type ChangeContext } from './context.js';
import { waErrors } from './errors.js';
import { walk } from './messages.js';
import { bool, epochMs, list, obj, phone, str, type Obj } from './read.js';
import { emitUnknown } from './unknown.js';

/** Includes the spellings of one older Meta page (group_add_participants / group_remove_participants). */
/** A Map, not an object: a type such as "constructor" must not hit Object.prototype. */
const TYPE_EVENT: ReadonlyMap<string, EventName> = new Map([
  ['group_create', 'group.create'],
  ['group_delete', 'group.delete'],
  ['group_participants_add', 'group.participants_add'],
  ['group_add_participants', 'group.participants_add'],
  ['group_participants_remove', 'group.participants_remove'],
  ['group_remove_participants', 'group.participants_remove'],
  ['group_join_request_created', 'group.join_request_created'],
  ['group_join_request_revoked', 'group.join_request_revoked'],
  ['group_settings_update', 'group.settings_update'],
  ['group_suspend', 'group.suspend'],
  ['group_suspend_cleared', 'group.suspend_cleared'],
]);

function participants(v: unknown): readonly GroupParticipantInfo[] {
  return list(v).map((p) => {
    const o = obj(p) ?? {};
    return {
      input: str(o['input']),
      waId: phone(o['wa_id']),
      userId: str(o['user_id']),
      parentUserId: str(o['parent_user_id']),
      username: str(o['username']),
      errors: waErrors(o['errors']),
    };
  });
}

function setting(v: unknown): GroupSettingChange | undefined {
  const o = obj(v);
  if (o === undefined) return undefined;
  return {
    text: str(o['text']),
    mimeType: str(o['mime_type']),
    sha256: str(o['sha256']),
    updateSuccessful: bool(o['update_successful']),
    errors: waErrors(o['errors']),
  };
}

function group(ctx: ChangeContext, item: unknown): void {
  const g = obj(item) as Loose<WireGroupItem> | undefined;
  const type = g ? str(g.type) : undefined;
  const name = type === undefined ? undefined : TYPE_EVENT.get(type);
  if (g === undefined || type === undefined || name === undefined) {
    emitUnknown(
      ctx,
      g === undefined ? 'groups item is not an object' : `unknown group item type "${type ?? ''}"`,
      item,
    );
    return;
  }
  emit(ctx, name, {
    key: hashKey(ctx.field, ctx.wabaId, item),
    occurredAt: epochMs(g.timestamp) ?? ctx.entryTime,
    data: {
      type,
      groupId: str(g.group_id),
      requestId: str(g.request_id),
      subject: str(g.subject),
      description: str(g.description),
      inviteLink: str(g.invite_link),
      joinApprovalMode: str(g.join_approval_mode),
      added: participants(g.added_participants),
      removed: participants(g.removed_participants),
      failed: participants(g.failed_participants),
      reason: str(g.reason),
      initiatedBy: str(g.initiated_by),
      joinRequestId: str(g.join_request_id),
      subjectChange: setting(g.group_subject),
      descriptionChange: setting(g.group_description),
      pictureChange: setting(g.profile_picture),
      errors: waErrors(g.errors),
    } as never,
    raw: item,
  });
}

export function normalizeGroups(ctx: ChangeContext, value: Obj): void {
  const n = walk(ctx, value, 'groups', new ContactIndex(undefined), group);
  if (n === 0) emitUnknown(ctx, `${ctx.field} value holds no groups`, value);
}
