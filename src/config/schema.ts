import { z } from 'zod';
import { parseSchedule } from '../core/destinations/destination-schedule.js';
import { parseCidr } from '../core/parse-cidr.js';
import { parseS3Url } from '../core/media/parse-s3-url.js';

/** Every setting Wharf reads, with its environment name, default and meaning (docs/operations.md mirrors this). */
/**
 * A whole decimal number. z.coerce.number() read an empty value as 0 (`PORT=` from a compose file
 * whose variable is unset listened on a random port) and accepted 1e3 or 0x50.
 */
const wholeNumber = z
  .string()
  .trim()
  .refine((v) => v !== '', 'must be a whole number (it is set but empty)')
  .refine((v) => v === '' || /^\d+$/.test(v), 'must be a whole number (digits only)')
  .transform(Number);
const port = wholeNumber.pipe(z.number().max(65535));
const positiveInt = wholeNumber.pipe(z.number().positive());
const secretList = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  );
/** Addresses and CIDR ranges, comma-separated; each entry checked, so a typo fails the start, naming it. */
const cidrList = secretList.superRefine((entries, ctx) => {
  for (const entry of entries)
    if (!parseCidr(entry))
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IP address or CIDR range` });
});
const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s));

/** A destination retry schedule: delays such as `0,5s,5m,30m,2h` (src/core/destinations/destination-schedule.ts). */
const schedule = z
  .string()
  .default('0,5s,5m,30m,2h,5h,10h,10h')
  .transform((v, ctx) => {
    try {
      return parseSchedule(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  });

/** `true`/`false` (also 1/0, yes/no, on/off, any letter case); anything else is refused, never read as false. */
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), 'must be true or false')
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

export const SETTINGS = {
  PORT: { schema: port.default(8080), doc: 'Listen port.' },
  HOST: { schema: z.string().min(1).default('0.0.0.0'), doc: 'Listen address.' },
  DATABASE_URL: {
    // Checked by storage-location.ts (DATABASE_URL_INVALID), which also takes it apart.
    schema: z.string().default('sqlite:./data/wharf.db'),
    doc: '`sqlite:<path>` (embedded default) or `postgres://…` (scale-out).',
  },
  WHATSAPP_APP_SECRET: {
    schema: secretList,
    doc: 'App secret(s), comma-separated (several apps, rotation). Without it every POST is refused with 401.',
  },
  WHATSAPP_VERIFY_TOKEN: { schema: optionalString, doc: 'Token for the GET subscription handshake.' },
  WHATSAPP_ACCESS_TOKEN: {
    schema: optionalString,
    doc: 'Graph API token (a system-user token with whatsapp_business_messaging and whatsapp_business_management). Sending (`POST /api/v1/messages`, `ctx.reply`, `wharf.send`) and media capture (see `WHARF_MEDIA_DOWNLOAD`) need it; `wharf doctor` checks it and that `WHATSAPP_APP_SECRET` belongs to the app that issued it, and with `--waba-id` that the WABA is subscribed to the app. Acknowledging webhooks never waits for Meta.',
  },
  WHATSAPP_GRAPH_URL: {
    schema: z.string().url().default('https://graph.facebook.com/v24.0'),
    doc: 'Graph API base URL, with its version, for sends, media downloads and the calls of `wharf doctor` (tests point it at a local mock).',
  },
  WHARF_SEND_RATE_PER_NUMBER: {
    schema: positiveInt.default(80),
    doc: 'Sends per second released to Meta per business phone number (Meta allows 80 by default, up to 1,000 after an upgrade); more wait in a queue.',
  },
  WHARF_SEND_QUEUE_PER_NUMBER: {
    schema: positiveInt.default(1000),
    doc: "Sends that may wait for one phone number's rate; past it a send gets 429 SEND_RATE_LIMITED with `Retry-After`.",
  },
  WHARF_SEND_TIMEOUT_MS: {
    schema: positiveInt.default(30000),
    doc: "How long a send waits for Meta's answer; without one the send is recorded `unknown` (never sent again by itself).",
  },
  WHARF_API_TOKEN: {
    schema: optionalString,
    doc: 'Bearer token for /api/v1. Without it the API answers 401.',
  },
  WHARF_WEBHOOK_PATH: {
    schema: z.string().startsWith('/').default('/webhooks/whatsapp'),
    doc: 'Path of the webhook endpoint.',
  },
  WHARF_MAX_BODY_BYTES: {
    schema: positiveInt.default(4 * 1024 * 1024),
    doc: 'Largest accepted POST body in bytes (Meta sends at most 3 MB); larger bodies get 413.',
  },
  WHARF_MAX_PENDING_COMMITS: {
    schema: positiveInt.default(20000),
    doc: 'Deliveries waiting for the group commit above which new POSTs get a fast 503.',
  },
  WHARF_MAX_QUEUE_MS: {
    schema: positiveInt.default(250),
    doc: 'Queue-time target of the group commit: while the oldest delivery waiting for its commit has waited longer than this, or a new one is expected to wait longer (the rest of the commit in flight, then its own, from the commits measured lately), new POSTs get an immediate 503 + Retry-After. Meta allows a few seconds; 250 ms keeps answers well inside that.',
  },
  WHARF_ANSWER_DEADLINE_MS: {
    schema: positiveInt.default(800),
    doc: 'A POST whose delivery is not committed within this many ms is answered 503 + Retry-After then (a locked database answers within a second, not after the storage busy timeout). The write itself keeps its own timeout; if it still commits, the redelivery is stored once.',
  },
  WHARF_MAX_BUFFERED_BYTES: {
    schema: positiveInt.default(256 * 1024 * 1024),
    doc: 'Request bytes all connections together may hold in memory (bodies being read or waiting for their commit). A new body that would not fit gets an immediate 503 + Retry-After; a connection whose request waits for its commit stops being read.',
  },
  WHARF_REQUEST_TIMEOUT_MS: {
    schema: positiveInt.default(10000),
    doc: 'A request whose head and body have not arrived whole within this many ms of its first byte gets 408 and its connection is closed (a stalled or trickled body cannot hold memory or a connection).',
  },
  WHARF_ALLOWED_SOURCE_CIDRS: {
    schema: cidrList,
    doc: "Optional allow-list of source networks (comma-separated IPs or CIDR ranges, IPv4 or IPv6). A webhook POST from any other address gets 403 before its body is read. Meta publishes the ranges its webhook servers use (AS32934) and they change, so keep this in step with Meta's list. Unset: every source may POST (the signature still decides).",
  },
  WHARF_TRUSTED_PROXIES: {
    schema: cidrList,
    doc: 'Proxies and load balancers (IPs or CIDR ranges) whose `X-Forwarded-For` is believed: for a connection from one of them, the client address is the right-most `X-Forwarded-For` entry that is not itself a trusted proxy. Unset: `X-Forwarded-For` is never believed.',
  },
  WHARF_BAD_SIGNATURE_BURST: {
    schema: positiveInt.default(20),
    doc: 'Webhook POSTs failing the signature check that one source address may send in a burst; past it (and until tokens come back at WHARF_BAD_SIGNATURE_PER_SECOND) its POSTs get 429 without the signature being computed.',
  },
  WHARF_BAD_SIGNATURE_PER_SECOND: {
    schema: positiveInt.default(1),
    doc: 'Rate at which a source address regains tokens for failed signatures (see WHARF_BAD_SIGNATURE_BURST).',
  },
  WHARF_MAX_STREAMS: {
    schema: positiveInt.default(100),
    doc: 'Live `/api/v1/stream` clients at most; past it a new stream gets 503 + Retry-After. Clients with the same filter share one reader, and a client that cannot keep up is dropped (it resumes with Last-Event-ID).',
  },
  WHARF_DEDUPE_WINDOW_HOURS: {
    schema: positiveInt.default(168),
    doc: 'SQLite: a byte-identical redelivery received within at least this many hours (at most twice as many) of the first is stored once; Meta retries for up to 7 days (168 h). The writer keeps these hashes in memory (32–64 bytes per delivery; loading a million takes about 1.5 s at start). PostgreSQL dedupes without a limit.',
  },
  WHARF_RETENTION_DAYS: {
    schema: wholeNumber
      .pipe(z.number().max(36500, 'must be at most 36500 (100 years); 0 turns retention off'))
      .default(30),
    doc: 'Processed (and invalid) deliveries older than this many days are removed in the background with their events and delivered hand-offs; `0` keeps everything. Never removed: a delivery not processed yet, one whose events still have a pending or dead-lettered hand-off, one inside `WHARF_DEDUPE_WINDOW_HOURS`, and state (messages, contacts, templates, numbers, account). `wharf prune [--dry-run]` does it on demand (docs/operations.md#retention).',
  },
  WHARF_RETRY_AFTER_SECONDS: {
    schema: positiveInt.default(5),
    doc: 'Retry-After sent with 503 answers.',
  },
  WHARF_SHUTDOWN_TIMEOUT_MS: {
    schema: positiveInt.default(10000),
    doc: 'How long a graceful shutdown waits for in-flight work, all stages together (HTTP requests, then handler attempts).',
  },
  WHARF_SHUTDOWN_GRACE_MS: {
    schema: positiveInt.default(1000),
    doc: 'On SIGTERM, how long the listener and idle keep-alive connections stay open so that requests already on their way are answered (503 + Retry-After, Connection: close) instead of reset. Part of WHARF_SHUTDOWN_TIMEOUT_MS.',
  },
  WHARF_LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'Log level. Logs go to stdout as JSON lines with ISO-8601 times, or as pretty, human-readable lines when stdout is a terminal.',
  },
  WHARF_LOG_DELIVERIES: {
    schema: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    doc: 'At `info`, one log line per stored delivery (id, bytes, matched secret index) and one per processed delivery (the name, wamid and phone_number_id of each new event). `false` turns them off.',
  },
  WHARF_LOG_DELIVERIES_PER_SECOND: {
    schema: positiveInt.default(50),
    doc: 'Delivery log lines written per second at most; above it lines are skipped and their number logged once a second, so logging never delays an answer.',
  },
  WHARF_ROLE: {
    schema: z.enum(['all', 'ingress', 'worker']).default('all'),
    doc: 'Which parts run in this process: ingress (HTTP), worker (processing) or all.',
  },
  WHARF_BATCH_SIZE: { schema: positiveInt.default(2000), doc: 'Deliveries claimed per processing batch.' },
  WHARF_LEASE_SECONDS: {
    schema: positiveInt.default(30),
    doc: 'Lease on claimed deliveries; an expired lease is reclaimed by another worker.',
  },
  WHARF_HANDLER_MAX_ATTEMPTS: {
    schema: positiveInt.default(8),
    doc: 'Attempts per (event, handler) before it becomes a dead letter.',
  },
  WHARF_DESTINATION_RETRY_SCHEDULE: {
    schema: schedule,
    doc: 'Delays before each attempt of an (event, destination) hand-off, comma-separated, each a number with `ms`, `s`, `m`, `h` or `d` (plain numbers are ms). Default: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; after the last attempt the row is a dead letter. A `Retry-After` from the receiver replaces one delay, capped at the next one.',
  },
  WHARF_DESTINATION_DISABLE_AFTER_HOURS: {
    schema: z
      .string()
      .trim()
      .default('120')
      .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0, 'must be a number of hours above 0')
      .transform(Number),
    doc: 'A destination failing without a success for this many hours is disabled (`wharf.destination.disabled`); `wharf.destination.failing` is emitted at half that time.',
  },
  WHARF_DESTINATIONS_FILE: {
    schema: optionalString,
    doc: 'A JSON file of destinations (an array, or `{"destinations": [...]}`) applied at start, matched by `name`: created when new, changed when present (secrets kept). A bad file stops start-up, naming the line and the field.',
  },
  WHARF_DESTINATIONS_ALLOW_PRIVATE: {
    schema: flag.default(false),
    doc: 'Lets `http`, `slack` and `sms` destinations use `http://` and private, loopback and link-local addresses (tests, on-premises receivers). Off, they must be `https://` and reach only public addresses, checked on the address actually connected to, without following redirects (SSRF protection).',
  },
  WHARF_PUBLIC_URL: {
    schema: optionalString.refine(
      (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
      'must be an http:// or https:// URL (where people open this Wharf, e.g. https://wharf.example.com)',
    ),
    doc: 'Where people open this Wharf (e.g. `https://wharf.example.com`). Alerts (`slack`, `email` destinations) then link to the dashboard page about them: `/ui/#/templates`, `/ui/#/phone-numbers`, `/ui/#/account`, `/ui/#/messages/{wamid}`, `/ui/#/destinations/{id}`, `/ui/#/dead-letters`.',
  },
  WHARF_MEDIA_DIR: {
    schema: z.string().min(1).default('./data/media'),
    doc: 'Directory where inbound media files are kept, content-addressed (`<dir>/<2 hex>/<sha256 hex>`), unless `WHARF_MEDIA_S3_URL` is set. Partial downloads are written under `<dir>/.tmp` first.',
  },
  WHARF_MEDIA_S3_URL: {
    schema: optionalString.superRefine((v, ctx) => {
      if (v === undefined) return;
      try {
        parseS3Url(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      }
    }),
    doc: 'Keep media in an S3-compatible bucket instead of `WHARF_MEDIA_DIR`: `s3://<bucket>/<prefix>` (AWS; credentials from the AWS SDK chain) or `http(s)://<key>:<secret>@<host>:<port>/<bucket>/<prefix>` (MinIO, Ceph, other S3-compatible servers, path-style). `?region=` sets the region (default us-east-1).',
  },
  WHARF_MEDIA_DOWNLOAD: {
    schema: flag.optional(),
    doc: 'Download every inbound media item (messages, echoes, history) in the background before Meta expires it (7 days). Default: true when `WHATSAPP_ACCESS_TOKEN` is set, false otherwise; true without a token is refused at start.',
  },
  WHARF_MEDIA_MAX_BYTES: {
    schema: positiveInt.default(104_857_600),
    doc: 'Largest media file kept, in bytes (default 100 MiB, the most Meta delivers). A larger one is given up at once with `wharf.media.failed`.',
  },
} as const;

type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;
export type RawConfig = { readonly [K in SettingName]: z.output<Settings[K]['schema']> };
