/**
 * A local server speaking Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json)
 * for the `sms` destination tests: it checks HTTP basic auth (Account SID + auth token) and the
 * form encoding (`application/x-www-form-urlencoded` with `To`, `Body` and exactly one of `From` and
 * `MessagingServiceSid`), answers 201 with Twilio's message resource (`sid` SM…), and Twilio's error
 * body (`{code, message, more_info, status}`) for what Twilio refuses. `failNext` makes it answer an
 * error for the next calls (a provider failing, then recovering).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

export const TWILIO_SID = 'AC00000000000000000000000000000001';
export const TWILIO_TOKEN = 'test-auth-token-0001';

export interface TwilioMessage {
  readonly sid: string;
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
}

export interface TwilioMock {
  /** Base URL to give as `base_url`. */
  readonly url: string;
  /** Messages accepted (201), in order. */
  readonly messages: TwilioMessage[];
  /** Every request, accepted or not (path, status answered). */
  readonly requests: Array<{ path: string; status: number }>;
  /** The next `n` valid requests answer `status` with Twilio's error body. */
  failNext(n: number, status?: number): void;
  /** Answers accepted messages this much later (sends overlapping in time). */
  delayMs: number;
  close(): Promise<void>;
}

function twilioError(code: number, message: string, status: number) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTwilioMock(): Promise<TwilioMock> {
  const messages: TwilioMessage[] = [];
  const requests: Array<{ path: string; status: number }> = [];
  let failing = 0;
  let failStatus = 503;
  const mock = { delayMs: 0 } as TwilioMock;
  const server = createServer((req, res) => {
    void (async () => {
      const text = await bodyOf(req);
      const path = req.url ?? '';
      const answer = (status: number, json: unknown) => {
        requests.push({ path, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      };
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
      if (req.method !== 'POST' || m === null)
        return answer(404, twilioError(20404, 'The requested resource was not found', 404));
      const auth = req.headers.authorization ?? '';
      const expected = `Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64')}`;
      if (auth !== expected || decodeURIComponent(m[1]!) !== TWILIO_SID)
        return answer(401, twilioError(20003, 'Authenticate', 401));
      if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
        return answer(
          400,
          twilioError(21602, 'Message body is required (form-encoded parameters expected)', 400),
        );
      const form = new URLSearchParams(text);
      const to = form.get('To');
      const body = form.get('Body');
      const from = form.get('From');
      const service = form.get('MessagingServiceSid');
      if (to === null) return answer(400, twilioError(21604, "A 'To' phone number is required.", 400));
      if (!/^\+[1-9]\d{6,14}$/.test(to))
        return answer(400, twilioError(21211, `The 'To' number ${to} is not a valid phone number.`, 400));
      if (body === null || body === '')
        return answer(400, twilioError(21602, 'Message body is required.', 400));
      if ((from === null) === (service === null))
        return answer(
          400,
          twilioError(21603, "A 'From' or 'MessagingServiceSid' parameter is required.", 400),
        );
      if (failing > 0) {
        failing--;
        return answer(failStatus, twilioError(20500, 'Internal Server Error', failStatus));
      }
      const sid = `SM${randomBytes(16).toString('hex')}`;
      messages.push({ sid, to, from, messagingServiceSid: service, body });
      if (mock.delayMs > 0) await new Promise((r) => setTimeout(r, mock.delayMs));
      answer(201, {
        account_sid: TWILIO_SID,
        api_version: '2010-04-01',
        body,
        date_created: new Date().toUTCString(),
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from,
        messaging_service_sid: service,
        num_segments: '1',
        price: null,
        sid,
        status: 'queued',
        to,
        uri: `/2010-04-01/Accounts/${TWILIO_SID}/Messages/${sid}.json`,
      });
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    messages,
    requests,
    failNext(n: number, status = 503) {
      failing = n;
      failStatus = status;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  });
  return mock;
}
