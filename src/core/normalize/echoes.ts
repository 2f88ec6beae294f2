/** smb_message_echoes (Meta's docs on `smb_message_echoes`): one `echo.message` per `message_echoes[]` item. */
import type { EchoData } from '../../events/data-types/conversations.js';
import type { Loose } from '../../meta/common.js';
import type { WireEcho } from '../../meta/echoes.js';
import { hashKey, scopedIdKey } from '../event-key.js';
import { ContactIndex, emit, type ChangeContext } from './context.js';
import { waErrors } from './errors.js';
import { messageContent } from './message-content.js';
import { messageContext } from './message-parts.js';
import { walk } from './messages.js';
import { epochMs, obj, phone, str, type Obj } from './read.js';
import { emitUnknown } from './unknown.js';

export function echoData(e: Obj): EchoData {
  const w = e as Loose<WireEcho>;
  return {
    from: phone(w.from),
    to: phone(w.to),
    toUserId: str(w.to_user_id),
    toParentUserId: str(w.to_parent_user_id),
    context: messageContext(w.context),
    content: messageContent(e),
    errors: waErrors(w.errors),
  };
}

export function normalizeEcho(ctx: ChangeContext, item: unknown, contacts: ContactIndex): void {
  const e = obj(item);
  if (e === undefined) {
    emitUnknown(ctx, 'message_echoes item is not an object', item);
    return;
  }
  const data = echoData(e);
  const wamid = str(e['id']);
  emit(ctx, 'echo.message', {
    key:
      wamid === undefined
        ? hashKey(ctx.field, ctx.wabaId, item)
        : scopedIdKey('echo', ctx.phoneNumberId, wamid),
    occurredAt: epochMs(e['timestamp']) ?? ctx.entryTime,
    // The person an echo is about is its recipient.
    contact: contacts.resolve(data.to, data.toUserId, data.toParentUserId),
    wamid,
    data,
    raw: item,
  });
}

export function normalizeEchoes(ctx: ChangeContext, value: Obj): void {
  const contacts = new ContactIndex(value['contacts']);
  const n = walk(ctx, value, 'message_echoes', contacts, normalizeEcho);
  if (n === 0) emitUnknown(ctx, `${ctx.field} value holds no message_echoes`, value);
}
