/**
 * SMS provider `http`: any provider with a JSON API. The `body` setting is the JSON sent, its strings
 * holding `{{to}}`, `{{text}}` and `{{wamid}}`; `headers` carry the provider's credentials. A 2xx is
 * accepted (the provider's message id read from `provider_id_field`, else `id`, `sid`, `message_id`,
 * `messageId` or `messages[0]`'s), 400/422 refuse for good, anything else is retried.
 */
import { renderSmsBody } from '../../core/actions/sms-text.js';
import type { SmsProvider, SmsResult } from '../../ports/sms-provider.js';
import { createHttpPool, lowerKeys, type HttpClientOptions } from './http.js';
import { smsRequest, smsResult } from './sms-request.js';

export interface HttpSmsOptions extends HttpClientOptions {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
  readonly providerIdField?: string;
}

const ID_FIELDS = ['id', 'sid', 'message_id', 'messageId', 'message-id'];

/** The provider's id for the SMS in its JSON answer, or null. */
export function providerIdOf(text: string, field: string | undefined): string | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  const pick = (o: unknown): string | null => {
    if (o === null || typeof o !== 'object') return null;
    for (const f of field !== undefined ? [field] : ID_FIELDS) {
      const v = (o as Record<string, unknown>)[f];
      if (typeof v === 'string' || typeof v === 'number') return String(v);
    }
    return null;
  };
  const messages = (j as { messages?: unknown } | null)?.messages;
  return pick(j) ?? (Array.isArray(messages) ? pick(messages[0]) : null);
}

export function createHttpSmsProvider(o: HttpSmsOptions): SmsProvider {
  const url = new URL(o.url);
  const pool = createHttpPool(url, o);
  const given = lowerKeys(o.headers);
  const headers = { ...given, 'content-type': 'application/json', 'user-agent': o.userAgent };
  const secrets = Object.values(given).filter((v) => v.length >= 8);
  const now = o.now ?? Date.now;
  return {
    async send(sms, signal): Promise<SmsResult> {
      const body = JSON.stringify(renderSmsBody(o.body, sms));
      const a = await smsRequest(pool, {
        path: `${url.pathname}${url.search}`,
        headers,
        body,
        timeoutMs: o.timeoutMs,
        signal,
        now,
        secrets,
      });
      return smsResult(
        a,
        (text) => providerIdOf(text, o.providerIdField),
        (status) => `the SMS provider answered ${status}`,
      );
    },
    async close() {
      if (!pool.closed) await pool.close();
    },
  };
}
