import { ERRORS, type ErrorCode } from './errors.js';

/**
 * What each error means for the person who meets it, and what to do. Typed as a full record so a
 * new error code cannot be added without its explanation; docs/errors.md is generated from it.
 */
export const ERROR_HELP: Readonly<Record<ErrorCode, string>> = {
  CONFIG_INVALID:
    'A setting has an invalid value. Start-up stops; the message names the setting (never the value of a secret).',
  DATABASE_URL_INVALID:
    '`DATABASE_URL` must be `sqlite:<file path>` or a `postgres://` URL that parses: percent-encode special characters in the user name and password, give a numeric port, and a `?schema=` that is a lowercase identifier. The message never repeats the URL (it may hold a password).',
  DATABASE_UNREACHABLE:
    '`wharf start` could not connect to the database of `DATABASE_URL`: the host does not resolve, nothing listens on the port, or the network drops the connection. Check the host and port in `DATABASE_URL` and that the server is running; `wharf doctor` runs the same check.',
  DATABASE_REFUSED:
    'The PostgreSQL server answered but refused the session: the role (user) or database in `DATABASE_URL` does not exist, the password is wrong, or `pg_hba.conf` does not allow this client. Check the user name, password and database name of `DATABASE_URL` (create them with `createuser` / `createdb`).',
  PORT_IN_USE:
    'Another process already listens on `PORT` (EADDRINUSE). Stop it, or choose another port with `PORT` or `wharf start --port`.',
  HOST_UNAVAILABLE:
    '`HOST` is a name that does not resolve (ENOTFOUND), or an address this machine does not have (EADDRNOTAVAIL). Use `0.0.0.0` (every IPv4 interface), `::` or a name or address of this machine.',
  HANDLER_INVALID:
    '`wharf.on()` / `onAny()` was given something it cannot register: no event name, a name or prefix that matches no event (docs/events.md), a handler that is not a function, an id outside `[A-Za-z0-9_.:*,@/-]{1,200}` or already taken, a `concurrency` that is not a whole number ≥ 1, or a `timeoutMs` outside 1 ms–24.8 days. The message names which.',
  HANDLER_TOO_LATE:
    'Handlers are fixed when `listen()` starts (each gets its outbox rows from then on); register every handler before calling it.',
  ALREADY_LISTENING:
    '`listen()` was called twice on one Wharf. A second call would open a second storage, dispatcher and server that `close()` never stops; create another Wharf instead.',
  NOT_LISTENING:
    '`wharf.conversation()` reads the database that `listen()` opens (and migrates); call it after `listen()` has been called.',
  SIGNATURE_MISSING:
    'The POST had no `X-Hub-Signature-256` header. Meta always sends one; something else is posting, or a proxy strips the header.',
  SIGNATURE_INVALID:
    'The header is not `sha256=` + 64 hex digits, or no configured app secret produces it over the raw body. Check `WHATSAPP_APP_SECRET` (App Dashboard → Settings → Basic); list old and new secrets during a rotation. A proxy that re-encodes the body also breaks it: Wharf verifies the exact bytes received.',
  NO_APP_SECRET:
    '`WHATSAPP_APP_SECRET` is not set, so no POST can be verified and all are refused. Set it and restart.',
  BODY_TOO_LARGE:
    'The body is over `WHARF_MAX_BODY_BYTES` (default 4 MiB; Meta sends at most 3 MB). The connection is closed without reading the rest.',
  STORAGE_UNAVAILABLE:
    'The delivery could not be stored (database locked past the busy timeout, read-only, disk full, PostgreSQL unreachable). Nothing was acknowledged; Meta retries because of the 503 and its `Retry-After`. The error log line with the same request id says why. An `/api/v1` read answers the same way when the database cannot serve it now: retry after `Retry-After` seconds.',
  OVERLOADED:
    'Wharf sheds load rather than answering late: the oldest delivery waiting for the group commit has waited longer than `WHARF_MAX_QUEUE_MS` or a new one is expected to (from the commits measured lately), more deliveries wait than `WHARF_MAX_PENDING_COMMITS`, or the request bytes held in memory would pass `WHARF_MAX_BUFFERED_BYTES`. The answer is immediate: 503 + `Retry-After`, and Meta retries. Add capacity, or find what slows the commits (`wharf_group_commit_seconds`).',
  SHUTTING_DOWN:
    'The instance is stopping gracefully and the request arrived on a connection that was already open: 503 + `Retry-After`, then the connection is closed, so Meta retries elsewhere.',
  SOURCE_NOT_ALLOWED:
    'The request came from an address outside `WHARF_ALLOWED_SOURCE_CIDRS` and was refused before its body was read. Behind a proxy or load balancer, list its address in `WHARF_TRUSTED_PROXIES` so the client address in `X-Forwarded-For` is the one checked; keep the allow-list in step with the networks Meta sends webhooks from.',
  SIGNATURE_RATE_LIMITED:
    'Too many webhook POSTs from this source address failed the signature check recently, so further POSTs from it get 429 without the signature being computed (a flood of forged requests costs almost nothing). Signed traffic from other sources is unaffected; the limit refills by itself. If this is your own sender, check its app secret.',
  HANDSHAKE_REFUSED:
    'The GET subscription handshake failed: `hub.mode` is not `subscribe`, a parameter is missing, or `hub.verify_token` does not match `WHATSAPP_VERIFY_TOKEN` (or that is not set). `wharf verify` diagnoses it.',
  UNAUTHORIZED:
    '`/api/v1` needs `Authorization: Bearer <WHARF_API_TOKEN>` (the scheme name in any letter case), `/api/v1/openapi.json` included.',
  API_DISABLED:
    '`WHARF_API_TOKEN` is not set, so the management API (/api/v1) is closed. Set it and restart.',
  NOT_FOUND: 'No such route or resource.',
  METHOD_NOT_ALLOWED:
    'The route exists, but not for this method; the `Allow` header lists the methods it has.',
  BAD_REQUEST: 'A query parameter or body is invalid; the message says which and what is allowed.',
  UNKNOWN_EVENT_PATTERN:
    'An event pattern names no event: it is neither a name from docs/events.md (`message.text`) nor a prefix of one ending with a dot (`status.`; `status.*` is accepted as the same prefix). The message names the pattern and the closest known name or prefix. `wharf.on` and `createRouter().on` throw it at registration; `?name=` of `/api/v1/events` and `/api/v1/stream` answers it with 400; a destination filter that holds one is refused with 422 naming the entry.',
  MEDIA_NOT_STORED:
    'GET /api/v1/media/{media_id} serves a file once media capture stored it. The message says why it is not there: no message carried this media id, the download is still being tried (with the last failure; retries go on until 7 days after the message), it was given up (`wharf.media.failed`: Meta no longer had it, it was over WHARF_MEDIA_MAX_BYTES, or 7 days passed), or downloads are off (set WHATSAPP_ACCESS_TOKEN, or WHARF_MEDIA_DOWNLOAD=true).',
  NOT_A_DEAD_LETTER:
    'Only an outbox row in the `dead` state can be replayed; this one is still pending or already delivered.',
  SEND_INVALID:
    "The body of `POST /api/v1/messages` (or `wharf.send()`, `ctx.reply()`) is not a message Wharf can send: the message names the field (`phone_number_id`, `to` / `recipient`, `type`, the object of that type, `template.name` …). Nothing was recorded or sent. The body is Meta's own message object plus `phone_number_id` and optional `sms_fallback_text` (docs/sending.md).",
  WINDOW_CLOSED:
    'A message that is not a template was sent to a contact whose last message to this business number is older than 24 hours (or who never wrote). Meta would refuse it with 131047. Send an approved template instead; `?force=true` skips the check (logged) when you know better than Wharf, e.g. the contact wrote through another system. Meta was not called; `wharf.send.refused` was emitted.',
  MARKETING_OPT_OUT:
    'A MARKETING template was sent to a contact who stopped marketing messages (`user.preferences` stop, or a 131050 failure). Meta would refuse it with 131050. Leave the contact out of the campaign (`GET /api/v1/contacts?marketing_opt_out=true` is a suppression list); `?force=true` skips the check. Meta was not called; `wharf.send.refused` was emitted.',
  TEMPLATE_NOT_APPROVED:
    "The template's latest status from Meta is PAUSED, DISABLED, REJECTED, PENDING, or deleted/archived, so Meta would refuse the send (132015, 132016, 132001). The answer names the status and reason. A `REINSTATED` or `APPROVED` event lets sends through again; `?force=true` skips the check. Meta was not called; `wharf.send.refused` was emitted.",
  IDEMPOTENCY_KEY_REUSED:
    'The `Idempotency-Key` was first used with another message (another number, recipient or content). A key names one message: use a new key for a new message. Nothing was sent.',
  SEND_RATE_LIMITED:
    'More sends are waiting for this phone number than `WHARF_SEND_QUEUE_PER_NUMBER`, each released at `WHARF_SEND_RATE_PER_NUMBER` per second. Retry after `Retry-After` seconds, or raise the rate if Meta raised your throughput. Nothing was recorded or sent.',
  SEND_NOT_CONFIGURED:
    'Sending calls the Graph API, which needs `WHATSAPP_ACCESS_TOKEN` (a system-user token with whatsapp_business_messaging). Set it and restart. Nothing was sent.',
  META_ERROR:
    "Meta answered the send with an error. `meta_error` holds Meta's `code`, `title`, `details` and `fbtrace_id` (give it to Meta support) and the error policy's `category` and `action` (e.g. 131047 → `send_template`, 130429 → `retry`). The send is recorded as `failed`.",
  META_UNREACHABLE:
    'The connection to `WHATSAPP_GRAPH_URL` failed before the request was sent (refused, DNS). Meta did not get the message; it is recorded as `failed` and may be sent again.',
  SEND_OUTCOME_UNKNOWN:
    "The request left but Meta's answer never came (timeout, connection broken), or another caller with the same `Idempotency-Key` was interrupted. Meta may have sent the message: it is recorded as `unknown` and is NOT sent again by itself. Look for its statuses (`GET /api/v1/messages/{id}`) before sending again with a new key.",
  DESTINATION_INVALID:
    'A destination (POST/PATCH /api/v1/destinations, or an entry of `WHARF_DESTINATIONS_FILE`) has a field Wharf cannot use: an unknown kind or format, an event name or prefix that no event has in `filter.events`, an unknown filter condition or error action, a zero or negative limit, a field Wharf sets itself (`id`, `secret`, …), a `transform` that does not compile (the message gives the reason from JSONata and the character where it stopped) or one given to a `mysql`/`postgres` destination, which writes fixed columns. The message names the field; nothing was changed. Problems with the kind settings (`url`, `headers`, …) are DESTINATION_SETTINGS_INVALID.',
  DESTINATION_NAME_TAKEN:
    'Destination names are unique (the destinations file matches on them). Choose another name, or change the existing destination with PATCH.',
  CONVERSATION_FIELD_INVALID:
    'A `PATCH /api/v1/conversations/{id}` body may hold only `note` and `automation_notes` (a string of at most 4000 characters, or null to clear it) and `labels` (an array of at most 50 non-empty strings of at most 64 characters, without commas: the `conversation` destination format sends them comma-separated). The message names the first field that is wrong (`labels[2]`) and why; nothing is stored.',
  DESTINATION_ADDRESS_FORBIDDEN:
    'An `http` or `slack` destination must use `https://` and reach only public addresses, so Wharf cannot be made to call your own network (SSRF): loopback, private networks (10/8, 172.16/12, 192.168/16), carrier-grade NAT, link-local and the cloud metadata address 169.254.169.254, IPv6 unique-local, link-local and multicast, and IPv6 forms that embed such an IPv4 address are refused. The URL is checked when the destination is created or changed, and the address actually connected to is checked again on every send (a DNS answer that changed is refused too); redirects are never followed. The message names the address and why. Set `WHARF_DESTINATIONS_ALLOW_PRIVATE=true` for tests and on-premises receivers. Broker URLs (nats, amqp, redis, smtp) are your own infrastructure and are not restricted.',
  DESTINATION_SETTINGS_INVALID:
    "A destination's kind settings are missing or wrong; the message names each field (`url`, `headers.<name>`, `redirect_means_delivered`, `subject`, `exchange`, `routing_key`, `stream`, `max_len`, `to`, `from`, `table`) and what it must be. URL schemes by kind: `http`/`slack` https:// (http:// only with `WHARF_DESTINATIONS_ALLOW_PRIVATE=true`), `nats` nats:// or tls://, `rabbitmq` amqp:// or amqps://, `redis` redis:// or rediss://, `email` smtp:// or smtps://, `mysql` mysql:// or mariadb://, `postgres` postgres:// or postgresql://; `table` is a name of letters, digits and `_` (optionally `schema.name`). Templates may hold only `{name}` and `{phone_number_id}`.",
  DESTINATION_KIND_UNAVAILABLE:
    'The destination is of a kind that this version of Wharf cannot deliver to (every listed kind is delivered today; this answers a kind stored by a newer release, or an `sms` destination opened as a plain transport). Its events stay in the outbox; change the kind or upgrade.',
  INTERNAL: 'An unexpected error; the log has the details under the same request id. Please report it.',
};

/** docs/errors.md, generated from the catalogue (npm run docs:errors). */
export function errorsDoc(): string {
  const entries = Object.entries(ERRORS) as Array<[ErrorCode, (typeof ERRORS)[ErrorCode]]>;
  let out =
    '# Errors\n\n<!-- generated by npm run docs:errors from src/errors.ts and src/error-help.ts -->\n\n' +
    'Every error Wharf answers with has a stable code, an HTTP status and an entry here. Bodies look like\n' +
    '`{"error":{"code":"SIGNATURE_INVALID","message":"Invalid signature","docs":"docs/errors.md#signature-invalid"}}`\n' +
    'and never contain secrets, digests or request content. Errors met at start-up or when the library is\n' +
    'misused are never an HTTP answer: `wharf start` prints their code and message and exits 1, the library\n' +
    'throws them as `WharfError` with the same `code`; the table gives them 500.\n\n| code | HTTP | message |\n|---|---|---|\n';
  for (const [code, e] of entries) out += `| [${code}](#${e.anchor}) | ${e.status} | ${e.message} |\n`;
  for (const [code, e] of entries)
    out += `\n<a id="${e.anchor}"></a>\n## ${code} (${e.status})\n\n${ERROR_HELP[code]}\n`;
  return out;
}
