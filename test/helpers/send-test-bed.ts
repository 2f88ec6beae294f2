/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
/**
 * A test Wharf (SQLite) wired to a local Graph API mock, and the few requests the sending tests
 * make: signed webhooks in (an inbound text, template events, preferences, statuses), sends out.
 */
import { startGraphMock, type GraphMock } from '../../src/testing.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from './start-test-wharf.js';
import { httpRequest, postSigned, type HttpAnswer } from './post-signed.js';
import { envelope, textDelivery } from './webhook-bodies.js';
import { waitFor } from './wait-for.js';
import type { SettingName } from '../../src/config/schema.js';

export const GRAPH_TOKEN = 'graph-token-never-logged-7731';

export interface SendTestBed {
  readonly wharf: TestWharf;
  readonly mock: GraphMock;
  send(
    body: unknown,
    o?: { key?: string; force?: boolean },
  ): Promise<HttpAnswer & { json: Record<string, any> }>;
  get(path: string): Promise<HttpAnswer & { json: Record<string, any> }>;
  webhook(body: string): Promise<void>;
  /** `waId` wrote to the business number now (its 24 h window opens in Wharf and in the mock). */
  customerWrites(waId: string, wamid: string): Promise<void>;
  templateEvent(name: string, event: string, category: string, atSeconds: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startSendTestBed(
  overrides: Partial<Record<SettingName, string | number>> = {},
): Promise<SendTestBed> {
  const mock = await startGraphMock({ accessToken: GRAPH_TOKEN, throughputPerNumber: 1000 });
  const wharf = await startTestWharf({
    WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
    WHATSAPP_GRAPH_URL: mock.url,
    ...overrides,
  });
  const auth = { authorization: `Bearer ${TEST_API_TOKEN}` };
  const parse = (a: HttpAnswer) => {
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(a.body) as Record<string, unknown>;
    } catch {
      // Not JSON: json stays empty and the status says what happened.
    }
    return { ...a, json };
  };
  const bed: SendTestBed = {
    wharf,
    mock,
    async send(body, o = {}) {
      return parse(
        await httpRequest(`${wharf.baseUrl}/api/v1/messages${o.force ? '?force=true' : ''}`, {
          method: 'POST',
          headers: {
            ...auth,
            'content-type': 'application/json',
            ...(o.key === undefined ? {} : { 'idempotency-key': o.key }),
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      );
    },
    async get(path) {
      return parse(await httpRequest(`${wharf.baseUrl}${path}`, { headers: auth }));
    },
    async webhook(body) {
      const a = await postSigned(`${wharf.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET);
      if (a.status !== 200) throw new Error(`webhook answered ${a.status}`);
    },
    async customerWrites(waId, wamid) {
      mock.state.userMessaged(waId);
      await bed.webhook(textDelivery(wamid, Math.floor(Date.now() / 1000), 'hello', waId));
      await waitFor('the inbound message to be processed', async () => {
        const m = await bed.get(`/api/v1/messages/${wamid}`);
        return m.status === 200;
      });
    },
    async templateEvent(name, event, category, atSeconds) {
      const key = `${name}:${event}:${atSeconds}`;
      await bed.webhook(
        envelope(
          'message_template_status_update',
          {
            event,
            message_template_id: 7770001,
            message_template_name: name,
            message_template_language: 'en_US',
            message_template_category: category,
            reason: 'NONE',
          },
          atSeconds,
        ),
      );
      await waitFor(`template event ${key}`, async () => {
        const events = await bed.get('/api/v1/events?name=template.status&limit=50');
        return (events.json.data as Array<{ data: { event?: string }; occurred_at: string }>).some(
          (e) => e.data.event === event && Date.parse(e.occurred_at) === atSeconds * 1000,
        );
      });
    },
    async stop() {
      await wharf.stop();
      await mock.close();
    },
  };
  return bed;
}
