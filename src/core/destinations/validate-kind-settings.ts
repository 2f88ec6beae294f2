/**
 * Each destination kind's settings, as zod schemas: which fields it needs, their
 * types and the URL schemes it accepts. `validateKindSettings` answers every problem with the
 * field named (the API turns them into 422s); `parseKindSettings` gives the typed settings to the
 * transport factory. Pure: the DNS half of the SSRF check is checkDestinationUrl.
 */
import { z } from 'zod';
import type { DestinationKind, DestinationSettings } from './destination.js';
import { smsTextProblem } from '../actions/sms-text.js';
import { ALERT_DEDUPE_MAX_MINUTES } from '../actions/alert-defaults.js';
import {
  natsSubjectProblem,
  renderDestinationTemplate,
  templateProblem,
} from './render-destination-template.js';

export interface SettingProblem {
  readonly field: string;
  readonly message: string;
}

export interface KindSettingsOptions {
  /** WHARF_DESTINATIONS_ALLOW_PRIVATE: http/slack may use http://. */
  readonly allowPrivate: boolean;
}

/** Headers Wharf sets itself, or that would break the request if a setting replaced them. */
const RESERVED_HEADERS = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'content-type',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
];

function urlWith(schemes: readonly string[]) {
  const list = schemes.map((s) => `${s}//`).join(' or ');
  return z.string({ error: 'must be a URL' }).refine((v) => {
    try {
      return schemes.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a ${list} URL`);
}

const template = (what: string) =>
  z
    .string({ error: `must be a ${what} (text, may hold {name} and {phone_number_id})` })
    .min(1, 'must not be empty')
    .superRefine((v, ctx) => {
      const p = templateProblem(v);
      if (p !== null) ctx.addIssue({ code: 'custom', message: p });
    });

const headers = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid header name'),
    z.string({ error: 'header values must be text' }),
  )
  .superRefine((h, ctx) => {
    for (const name of Object.keys(h))
      if (RESERVED_HEADERS.includes(name.toLowerCase()))
        ctx.addIssue({
          code: 'custom',
          message: `${name} is set by Wharf and cannot be replaced`,
          path: [name],
        });
  });

const natsSubject = template('subject').superRefine((v, ctx) => {
  // Checked with a real event name: `.` inside names become subject tokens.
  const p = natsSubjectProblem(renderDestinationTemplate(v, { name: 'status.failed', phoneNumberId: '1' }));
  if (p !== null) ctx.addIssue({ code: 'custom', message: p });
});

const emailList = z.union(
  [z.email('must be an e-mail address'), z.array(z.email('must be an e-mail address')).min(1)],
  {
    error: 'must be an e-mail address or a list of them',
  },
);

const smsText = z
  .string({ error: 'must be the SMS text (may hold {{wamid}}, {{recipient}}, {{error_code}}, …)' })
  .min(1, 'must not be empty')
  .max(1600, 'must be at most 1600 characters (ten SMS segments)')
  .superRefine((v, ctx) => {
    const p = smsTextProblem(v);
    if (p !== null) ctx.addIssue({ code: 'custom', message: p });
  });

/** `undelivered_after_seconds`: from 10 s to a day (an OTP is useless long before). */
const undeliveredAfter = z
  .number({ error: 'must be a whole number of seconds' })
  .int('must be a whole number of seconds')
  .min(10, 'must be at least 10 seconds')
  .max(86_400, 'must be at most 86400 seconds (a day)');

/** Alerts: the same alert key at most once per `dedupe_minutes` (0: every time). */
const alertSettings = {
  dedupe_minutes: z
    .number({ error: 'must be a whole number of minutes' })
    .int('must be a whole number of minutes')
    .min(0, 'must be 0 or more')
    .max(ALERT_DEDUPE_MAX_MINUTES, `must be at most ${ALERT_DEDUPE_MAX_MINUTES} minutes (a week)`)
    .optional(),
  all_updates: z.boolean({ error: 'must be true or false' }).optional(),
};

function smsSchemas(web: readonly string[]) {
  const common = { text: smsText.optional(), undelivered_after_seconds: undeliveredAfter.optional() };
  return {
    twilio: z
      .strictObject({
        provider: z.literal('twilio'),
        account_sid: z
          .string({ error: 'must be the Twilio Account SID (AC…)' })
          .regex(/^AC[0-9A-Za-z]{8,}$/, 'must be the Twilio Account SID (AC…)'),
        auth_token: z.string({ error: 'must be the Twilio auth token' }).min(1, 'must not be empty'),
        from: z
          .string({ error: 'must be a phone number in E.164 form (+15551230000) or a sender id' })
          .regex(
            /^(\+[1-9][0-9]{6,14}|[A-Za-z0-9 ]{1,11})$/,
            'must be a phone number in E.164 form (+15551230000) or an alphanumeric sender id',
          )
          .optional(),
        messaging_service_sid: z
          .string({ error: 'must be a Messaging Service SID (MG…)' })
          .regex(/^MG[0-9A-Za-z]{8,}$/, 'must be a Messaging Service SID (MG…)')
          .optional(),
        base_url: urlWith(web).optional(),
        ...common,
      })
      .superRefine((v, ctx) => {
        if ((v.from === undefined) === (v.messaging_service_sid === undefined))
          ctx.addIssue({
            code: 'custom',
            path: ['from'],
            message: 'give exactly one of from and messaging_service_sid (Twilio needs one sender)',
          });
      }),
    http: z.strictObject({
      provider: z.literal('http'),
      url: urlWith(web),
      headers: headers.optional(),
      body: z.record(z.string(), z.unknown(), {
        error: 'must be a JSON object: the body sent, its strings may hold {{to}}, {{text}} and {{wamid}}',
      }),
      provider_id_field: z.string({ error: 'must be a field name' }).min(1).optional(),
      ...common,
    }),
  };
}

/**
 * A table name for the database sinks: `events` or `schema.events`, letters, digits and `_` (quoted
 * by the sink, so no SQL can ride in on it).
 */
const tableName = z
  .string({ error: 'must be a table name' })
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/,
    'must be a table name (letters, digits and _, at most 63, optionally schema.table)',
  );

function schemas(o: KindSettingsOptions) {
  const web = o.allowPrivate ? ['https:', 'http:'] : ['https:'];
  const sms = smsSchemas(web);
  return {
    http: z.strictObject({
      url: urlWith(web),
      headers: headers.optional(),
      // Google Apps Script web apps run the script, then answer 302 to its output.
      redirect_means_delivered: z.boolean({ error: 'must be true or false' }).optional(),
    }),
    slack: z.strictObject({ url: urlWith(web), ...alertSettings }),
    sms: z.union([sms.twilio, sms.http]),
    nats: z.strictObject({ url: urlWith(['nats:', 'tls:']), subject: natsSubject }),
    rabbitmq: z.strictObject({
      url: urlWith(['amqp:', 'amqps:']),
      exchange: z.string({ error: 'must be an exchange name ("" is the default exchange)' }),
      routing_key: template('routing key').optional(),
    }),
    redis: z.strictObject({
      url: urlWith(['redis:', 'rediss:']),
      stream: template('stream name'),
      max_len: z
        .number({ error: 'must be a whole number' })
        .int('must be a whole number')
        .positive('must be above 0')
        .optional(),
    }),
    email: z.strictObject({
      url: urlWith(['smtp:', 'smtps:']),
      to: emailList,
      from: z.email('must be an e-mail address'),
      subject: template('subject').optional(),
      ...alertSettings,
    }),
    mysql: z.strictObject({ url: urlWith(['mysql:', 'mariadb:']), table: tableName }),
    postgres: z.strictObject({ url: urlWith(['postgres:', 'postgresql:']), table: tableName }),
  };
}

type Schemas = ReturnType<typeof schemas>;
export type TransportKind = keyof Schemas;
export type KindSettings<K extends TransportKind> = z.output<Schemas[K]>;
export const TRANSPORT_KINDS: readonly TransportKind[] = [
  'http',
  'slack',
  'nats',
  'rabbitmq',
  'redis',
  'email',
  'sms',
  'mysql',
  'postgres',
];

export function isTransportKind(kind: string): kind is TransportKind {
  return (TRANSPORT_KINDS as readonly string[]).includes(kind);
}

function problemsOf(error: z.ZodError): SettingProblem[] {
  return error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({
        field: [...i.path, k].join('.'),
        message: 'is not a setting of this kind',
      }));
    const field = i.path.map(String).join('.');
    const missing = i.code === 'invalid_type' && i.input === undefined;
    return [{ field, message: missing ? 'is required' : i.message }];
  });
}

export const SMS_PROVIDERS = ['twilio', 'http'] as const;

/** `sms`: the provider picks the schema, so a missing or unknown one is the one problem named. */
function smsProviderProblem(kind: DestinationKind, settings: DestinationSettings): SettingProblem | null {
  if (kind !== 'sms') return null;
  const p = settings['provider'];
  if (p === undefined) return { field: 'provider', message: `is required (${SMS_PROVIDERS.join(' or ')})` };
  if (!(SMS_PROVIDERS as readonly unknown[]).includes(p))
    return { field: 'provider', message: `must be ${SMS_PROVIDERS.join(' or ')}` };
  return null;
}

/** The kind's schema; for `sms`, the schema of the provider given (checked first by smsProviderProblem). */
function schema(kind: TransportKind, options: KindSettingsOptions, settings: DestinationSettings): z.ZodType {
  if (kind !== 'sms') return schemas(options)[kind];
  const sms = smsSchemas(options.allowPrivate ? ['https:', 'http:'] : ['https:']);
  return settings['provider'] === 'twilio' ? sms.twilio : sms.http;
}

/** Every problem of `settings` for `kind`, each with its field (`url`, `headers.Host`, `subject`…). */
export function validateKindSettings(
  kind: DestinationKind,
  settings: DestinationSettings,
  options: KindSettingsOptions,
): SettingProblem[] {
  if (!isTransportKind(kind))
    return [{ field: 'kind', message: `kind ${kind} cannot be delivered to by this version of Wharf` }];
  const provider = smsProviderProblem(kind, settings);
  if (provider !== null) return [provider];
  const result = schema(kind, options, settings).safeParse(settings);
  return result.success ? [] : problemsOf(result.error);
}

/** The typed settings, or the problems. */
export function parseKindSettings<K extends TransportKind>(
  kind: K,
  settings: DestinationSettings,
  options: KindSettingsOptions,
): { ok: true; settings: KindSettings<K> } | { ok: false; problems: SettingProblem[] } {
  const provider = smsProviderProblem(kind, settings);
  if (provider !== null) return { ok: false, problems: [provider] };
  const result = schema(kind, options, settings).safeParse(settings);
  if (result.success) return { ok: true, settings: result.data as KindSettings<K> };
  return { ok: false, problems: problemsOf(result.error) };
}
