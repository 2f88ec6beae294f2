/**
 * Renders docs/events.md from EVENT_CATALOG, so the docs, the types and the API filters derive from one list.
 * Written by scripts/gen-events-doc.ts; test/unit/events/events-doc.test.ts fails when stale.
 */
import { EVENT_CATALOG } from './event-names.js';
import { EVENT_PREFIXES } from './event-pattern.js';

const PREFIXES = EVENT_PREFIXES.map((prefix) => `\`${prefix}\``).join(', ');

const INTRO = `# Events

> Generated from \`src/events/event-names.ts\` by \`npm run docs:events\`. Do not edit by hand:
> the test suite fails when this file differs from the generated text.

Every webhook delivery is parsed (\`parseDelivery\`) and normalized (\`normalizeDelivery\`) into
events, walking **every** \`entry[] × changes[] × item\`. Each item yields exactly one event; the
**item** column says what one item is for each field. Every event has \`name\`, \`key\` (idempotency
key), \`field\` (verbatim), \`occurredAt\` (epoch ms from the item, else \`entry.time\`, else null),
\`wabaId\`, \`phoneNumberId\`, \`displayPhoneNumber\`, \`contact\` (\`waId\`, \`userId\`,
\`parentUserId\`, \`username\`, \`name\` — each may be missing), \`wamid\`, typed \`data\` and the
\`raw\` item. Data types: \`src/events/event-data.ts\`.

Names below are those of the TypeScript library (camelCase, as \`wharf.on\` handlers get them). The JSON
Wharf emits — \`GET /api/v1/events\`, the stream, destinations — has the same fields in snake_case at
every depth (\`occurred_at\`, \`phone_number_id\`, \`data.group_id\`, \`data.context.frequently_forwarded\`),
except \`raw\` and the objects kept as sent inside \`data\` (a Flow's \`response\`, a shared contact's
\`raw\`, \`details\`, \`calling\`), which keep Meta's keys exactly.

## Rules

- **Interactive messages** are split by subtype: \`message.button_reply\`, \`message.list_reply\`,
  \`message.nfm_reply\` (Flows, address messages), \`message.call_permission_reply\`. An interactive
  subtype Wharf does not know is \`message.unknown\` with \`data.type = "interactive.<subtype>"\`.
- **Referral, context and group messages** are not separate events: \`data.referral\`,
  \`data.context\` and \`data.groupId\` on any message event (\`message.\`).
- **Unknown things stay visible**: an unknown field → \`unknown\`; an unknown message type,
  interactive subtype, or a message without id or with malformed content → \`message.unknown\`;
  an unknown status value (\`deleted\`, \`warning\`, …) or a malformed status → \`status.unknown\`;
  an unknown call event or group item type, a malformed entry/change/value, or a known field whose
  value holds no items → \`unknown\`. Each carries \`data.reason\` and the raw JSON.
- **Descriptive enums stay open**: template events, quality scores, decisions, tiers and similar
  values are kept verbatim as strings, so a new value Meta adds still arrives on the right event.
- **Numbers as strings**: timestamps, ids and amounts are accepted as JSON strings or numbers;
  ids are always strings in \`data\` (\`message_template_id\` too).
- **Renamed keys**: \`recipient_parent_user_id\` and \`parent_recipient_user_id\`;
  \`business_username_update(s)\`; \`group_participant(s)_update\`,
  \`group_add/remove_participants\`; \`authentication-international\` and
  \`authentication_international\` (unified to underscores).
- **Keys** (Meta's docs on duplicates): message \`msg:<phone_number_id>:<wamid>\`; status
  \`status:<wamid>:<status>[:<participant>]\`; echo \`echo:<phone_number_id>:<wamid>\`; history
  \`history:<phone_number_id>:<wamid>\`; call \`call:<wacid>:<event>\`; management fields
  \`<field>:<entry.id>:<key fields>:<time>:h<sha256 of the canonical value JSON>\` (the changes of
  one entry share its time); items without a natural id
  \`<field>:<entry.id>:h<sha256 of the canonical item JSON>\`.

## Choosing events: names and prefixes

\`wharf.on\`, \`createRouter().on\`, the API's \`?name=\` (\`/api/v1/events\`, \`/api/v1/stream\`) and
destination filters all take the same patterns (\`src/events/event-pattern.ts\`): an event name from
the list below, or a prefix ending with a dot, which matches every name that starts with it. The
prefix is written \`status.\`; \`status.*\` is accepted everywhere as the same prefix. A name or
prefix that matches no event is refused with
[UNKNOWN_EVENT_PATTERN](errors.md#unknown-event-pattern), naming it and the closest known one.
Prefixes: ${PREFIXES}.

## Event list

| name | Meta field | type | one item is | fixture |
|---|---|---|---|---|
`;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function renderEventsDoc(): string {
  const rows = EVENT_CATALOG.map(
    (e) =>
      `| \`${e.name}\` | ${cell(e.field)} | ${cell(e.type)} | ${cell(e.item)} | ${e.fixture === '' ? "— (Wharf's own event)" : `[${e.fixture}](../fixtures/payloads/${e.fixture})`} |`,
  );
  return `${INTRO}${rows.join('\n')}\n\n${EVENT_CATALOG.length} event names.\n`;
}
