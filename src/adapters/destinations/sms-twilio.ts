/**
 * SMS provider `twilio`: Twilio's Messages API exactly (POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded `To`, `From` or
 * `MessagingServiceSid`, `Body`, HTTP basic auth with the Account SID and auth token). `base_url`
 * replaces https://api.twilio.com (a regional edge, a proxy, a local test server). Twilio's error body
 * (`{code, message, more_info, status}`) becomes the attempt's error in plain words.
 */
import type { SmsProvider, SmsResult } from '../../ports/sms-provider.js';
import { createHttpPool, type HttpClientOptions } from './http.js';
import { smsRequest, smsResult } from './sms-request.js';

export const TWILIO_BASE_URL = 'https://api.twilio.com';

export interface TwilioOptions extends HttpClientOptions {
  readonly accountSid: string;
  readonly authToken: string;
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly baseUrl?: string;
}

/** Twilio's error answer → one sentence: `Twilio error 21211: Invalid 'To' Phone Number (https://…)`. */
export function twilioError(status: number, text: string): string {
  try {
    const e = JSON.parse(text) as { code?: unknown; message?: unknown; more_info?: unknown };
    if (typeof e.message === 'string') {
      const code = typeof e.code === 'number' || typeof e.code === 'string' ? ` ${e.code}` : '';
      const more = typeof e.more_info === 'string' ? ` (${e.more_info})` : '';
      return `Twilio answered ${status}: error${code}: ${e.message}${more}`;
    }
  } catch {
    // not Twilio's JSON: said below
  }
  return `Twilio answered ${status}`;
}

/** The `sid` of Twilio's answer, or null (accepted without Twilio's JSON: no provider id). */
function twilioSid(text: string): string | null {
  try {
    const j = JSON.parse(text) as { sid?: unknown };
    return typeof j.sid === 'string' ? j.sid : null;
  } catch {
    return null;
  }
}

export function createTwilioProvider(o: TwilioOptions): SmsProvider {
  const base = new URL(o.baseUrl ?? TWILIO_BASE_URL);
  const pool = createHttpPool(base, o);
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = `${prefix}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`;
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': o.userAgent,
    authorization: `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}`,
  };
  const now = o.now ?? Date.now;
  return {
    async send(sms, signal): Promise<SmsResult> {
      const form = new URLSearchParams({ To: sms.to, Body: sms.text });
      if (o.messagingServiceSid !== undefined) form.set('MessagingServiceSid', o.messagingServiceSid);
      else if (o.from !== undefined) form.set('From', o.from);
      const a = await smsRequest(pool, {
        path,
        headers,
        body: form.toString(),
        timeoutMs: o.timeoutMs,
        signal,
        now,
        secrets: [o.authToken],
      });
      return smsResult(a, twilioSid, twilioError);
    },
    async close() {
      if (!pool.closed) await pool.close();
    },
  };
}
