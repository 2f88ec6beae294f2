/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { MIXED } from '../conformance/conversation-store.conformance.js';
import { conversationDestinationJson } from '../../src/core/conversation-json.js';
import { SqliteConversationStore } from '../../src/adapters/sqlite/conversation-store.js';

describe('conversations through the API and the library', () => {
  let w: TestWharf;
  const get = async (path: string) => {
    const r = await apiGet(w.baseUrl, path, TEST_API_TOKEN);
    return { status: r.status, body: JSON.parse(r.body) as Record<string, any> };
  };
  const patch = async (path: string, body: string) => {
    const r = await httpRequest(w.baseUrl + path, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    return { status: r.status, body: JSON.parse(r.body) as Record<string, any> };
  };

  before(async () => {
    w = await startTestWharf();
    for (const body of MIXED)
      assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)).status, 200);
    const end = Date.now() + 10_000;
    while ((await get('/api/v1/conversations/447700900123')).body['message_count']?.['outbound'] !== 2) {
      if (Date.now() > end) throw new Error('the conversation was not processed in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  after(() => w.stop());

  test('GET /conversations/{id} answers the conversation summary in snake_case, with the last 20 messages', async () => {
    const { status, body } = await get('/api/v1/conversations/%2B447700900123');
    assert.equal(status, 200);
    assert.deepEqual(body['contact'], {
      wa_id: '447700900123',
      user_id: 'GB.ANA1',
      username: null,
      name: 'Ana Ruiz',
    });
    assert.deepEqual(body['last_user_message'], {
      text: 'Confirm order',
      type: 'button_reply',
      at: '2026-01-01T00:02:00.000Z',
    });
    assert.equal(body['last_business_message']['status'], 'failed');
    assert.equal(body['window_open_until'], '2026-01-02T00:02:00.000Z');
    assert.equal(body['media_url'], 'MEDIA1');
    assert.deepEqual(
      body['recent_messages'].map((m: any) => m.wamid),
      ['wamid.OUT2', 'wamid.OUT1', 'wamid.IN3', 'wamid.IN2', 'wamid.IN1'],
    );
    assert.match(body['summary'], /^Ana Ruiz \(\+447700900123\): 5 messages/);
    assert.match(body['summary'], /it failed with error 131026/);
  });

  test('wharf.conversation(contact) returns the same object as the API', async () => {
    const api = (await get('/api/v1/conversations/GB.ANA1')).body;
    const lib = await w.wharf.conversation('GB.ANA1');
    // The summary is written at the time of asking; everything else is the stored state.
    assert.deepEqual({ ...lib, summary: '' }, { ...api, summary: '' });
  });

  test('PATCH sets note, automation notes and labels; the list filters by label', async () => {
    const r = await patch(
      '/api/v1/conversations/447700900123',
      JSON.stringify({ note: 'VIP', automation_notes: 'handed over', labels: ['vip'] }),
    );
    assert.equal(r.status, 200);
    assert.deepEqual(
      [r.body['note'], r.body['automation_notes'], r.body['labels']],
      ['VIP', 'handed over', ['vip']],
    );
    const list = (await get('/api/v1/conversations?label=vip')).body;
    assert.equal(list['total'], 1);
    assert.equal(list['data'][0]['contact']['user_id'], 'GB.ANA1');
    assert.equal(list['data'][0]['recent_messages'], undefined, 'lists leave the messages out');
    assert.equal((await get('/api/v1/conversations?label=other')).body['total'], 0);
  });

  test('an invalid PATCH answers 422 naming the field and stores nothing', async () => {
    for (const [body, field] of [
      ['{"labels":"vip"}', 'labels'],
      ['{"labels":["ok",""]}', 'labels[1]'],
      ['{"labels":["a,b"]}', 'labels[0]'],
      [`{"note":"${'x'.repeat(4001)}"}`, 'note'],
      ['{"automation_notes":5}', 'automation_notes'],
      ['{"colour":"red"}', 'colour'],
    ] as const) {
      const r = await patch('/api/v1/conversations/447700900123', body);
      assert.equal(r.status, 422, body);
      assert.equal(r.body['error']['code'], 'CONVERSATION_FIELD_INVALID');
      assert.ok(r.body['error']['message'].includes(field), r.body['error']['message']);
    }
    assert.deepEqual((await get('/api/v1/conversations/447700900123')).body['labels'], ['vip']);
    assert.equal((await patch('/api/v1/conversations/447700900123', 'not json')).status, 400);
    assert.equal((await patch('/api/v1/conversations/440000', '{"note":"x"}')).status, 404);
  });

  test('unknown contacts answer 404, a forged cursor 400, and the routes are in the OpenAPI document', async () => {
    assert.equal((await get('/api/v1/conversations/449999999')).status, 404);
    assert.equal((await get('/api/v1/conversations?cursor=Zm9yZ2Vk')).status, 400);
    assert.equal((await get('/api/v1/conversations?label=a&label=b')).status, 400);
    const doc = (await get('/api/v1/openapi.json')).body;
    assert.ok(doc['paths']['/api/v1/conversations']['get']);
    assert.ok(doc['paths']['/api/v1/conversations/{id}']['patch']);
    const schema = doc['components']['schemas']['Conversation'];
    const answer = (await get('/api/v1/conversations/447700900123')).body;
    assert.deepEqual(
      Object.keys(answer).sort(),
      [...schema.required, 'recent_messages'].sort(),
      'the schema names exactly the fields answered',
    );
  });

  test('the conversation destination body is the flat shape BSPs send: comma-separated labels, Unix seconds', async () => {
    const store = new SqliteConversationStore(w.dbPath);
    try {
      await store.annotateConversation(
        'GB.ANA1',
        undefined,
        { labels: ['vip', 'late'] },
        Date.UTC(2026, 0, 2),
      );
      const v = await store.getConversation('GB.ANA1');
      assert.ok(v);
      const body = conversationDestinationJson(v, Date.UTC(2026, 0, 1, 1));
      assert.deepEqual(
        { ...body, messages: body.messages.length, summary: typeof body.summary },
        {
          messages: 5,
          summary: 'string',
          phone: '447700900123',
          name: 'Ana Ruiz',
          user_id: 'GB.ANA1',
          last_user_message: 'Confirm order',
          last_system_message: null,
          message_type: 'button_reply',
          last_user_message_at_unix: 1767225720,
          last_system_message_at_unix: 1767225900,
          media_url: 'MEDIA1',
          note: 'VIP',
          automation_notes: 'handed over',
          labels: 'vip,late',
        },
      );
    } finally {
      await store.close();
    }
  });
});
