/** What each broker kind does beyond the conformance suite, against the real services. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect as natsConnect, type NatsConnection, type JetStreamManager } from 'nats';
import { connect as amqpConnect, type ChannelModel, type Channel } from 'amqplib';
import { Redis } from 'ioredis';
import { createNatsTransport } from '../../../src/adapters/destinations/nats.js';
import { JetStreamPublisher, type PubAck } from '../../../src/adapters/destinations/jetstream-publisher.js';
import { natsHeaderText } from '../../../src/adapters/destinations/nats-header-text.js';
import { createRabbitmqTransport } from '../../../src/adapters/destinations/rabbitmq.js';
import { createRedisTransport } from '../../../src/adapters/destinations/redis.js';
import { SERVICE_URLS, serviceProblem, serviceSuite } from '../../helpers/service-suite.js';
import { outboundMessage } from '../../helpers/outbound-message.js';

const never = new AbortController().signal;
const unique = (p: string) => `${p}_${randomBytes(5).toString('hex')}`;
const [natsDown, rabbitDown, redisDown] = await Promise.all(
  [SERVICE_URLS.nats, SERVICE_URLS.rabbitmq, SERVICE_URLS.redis].map(serviceProblem),
);

serviceSuite('nats destination (JetStream)', natsDown, () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const prefix = unique('wharf_nats');
  const stream = prefix.toUpperCase();
  before(async () => {
    nc = await natsConnect({ servers: SERVICE_URLS.nats });
    jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
  });
  after(async () => {
    await jsm.streams.delete(stream);
    await nc.close();
  });

  test('the same message published twice is stored once (message id = event key)', async () => {
    const t = createNatsTransport({ url: SERVICE_URLS.nats, subject: `${prefix}.{name}`, timeoutMs: 5000 });
    const m = outboundMessage('messages/text.json');
    const first = await t.send(m, never);
    const second = await t.send({ ...m, id: 'msg_retry' }, never);
    await t.close();
    assert.equal(first.ok, true, first.error ?? '');
    assert.equal(second.ok, true, second.error ?? '');
    assert.match(second.responseExcerpt ?? '', /duplicate: already stored/);
    assert.equal((await jsm.streams.info(stream)).state.messages, 1);
  });

  test('the subject template puts the event name in as tokens, with the phone number id', async () => {
    const t = createNatsTransport({
      url: SERVICE_URLS.nats,
      subject: `${prefix}.{phone_number_id}.{name}`,
      timeoutMs: 5000,
    });
    const m = outboundMessage('messages/status-failed.json');
    assert.equal((await t.send(m, never)).ok, true);
    await t.close();
    const stored = await jsm.streams.getMessage(stream, {
      last_by_subj: `${prefix}.900000000000001.status.failed`,
    });
    assert.equal(stored.string(), m.body);
    assert.equal(stored.header.get('Nats-Msg-Id'), m.eventKey);
  });

  test('a batch arrives byte for byte, beyond ASCII too; a message with a header nats refuses fails alone', async () => {
    const t = createNatsTransport({ url: SERVICE_URLS.nats, subject: `${prefix}.{name}`, timeoutMs: 5000 });
    const wide = outboundMessage('messages/text.json', { eventKey: unique('wide') });
    const ms = [
      { ...wide, body: JSON.stringify({ text: 'héllo ✓ 👋', n: 1 }), headers: { note: 'façade ✓' } },
      {
        ...outboundMessage('messages/text.json', { eventKey: unique('refused') }),
        headers: { 'bad name': 'x' },
      },
      outboundMessage('messages/status-failed.json', { eventKey: unique('plain') }),
    ];
    const results = await t.sendBatch!(ms, never);
    await t.close();
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, false, true],
    );
    assert.match(results[1]?.error ?? '', /invalid NATS header name/);
    for (const i of [0, 2]) {
      const seq = Number(/seq (\d+)/.exec(results[i]?.responseExcerpt ?? '')?.[1]);
      const stored = await jsm.streams.getMessage(stream, { seq });
      assert.equal(stored.string(), ms[i]?.body);
      assert.equal(stored.header.get('Nats-Msg-Id'), ms[i]?.eventKey);
    }
    const first = await jsm.streams.getMessage(stream, {
      seq: Number(/seq (\d+)/.exec(results[0]?.responseExcerpt ?? '')?.[1]),
    });
    assert.equal(first.header.get('note'), 'façade ✓');
  });

  test('a client without the outbound buffer the batch is written through (another nats.js) publishes the same batch message by message, with the same bytes, headers and acks', async () => {
    // The same connection with its protocol handler hidden: what a nats.js without sendCommand looks like.
    const plain = new Proxy(nc, {
      get: (target, key) => {
        if (key === 'protocol') return undefined;
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const publisher = new JetStreamPublisher(plain, 5000);
    const keys = [unique('each'), unique('each'), unique('each')];
    const messages = keys.map((key, i) => ({
      subject: i === 1 ? `${prefix}.bad subject` : `${prefix}.each`,
      headers: natsHeaderText([['Nats-Msg-Id', key]], { note: `façade ${i} ✓` }),
      body: JSON.stringify({ text: 'héllo 👋', i }),
    }));
    const answers: Array<{ ack: PubAck | null; err: string | null }> = [];
    await publisher.publishBatch(
      messages,
      (i, ack, err) => (answers[i] = { ack, err: err?.message ?? null }),
    );
    assert.equal(answers[1]?.ack, null);
    assert.match(answers[1]?.err ?? '', /subject/);
    for (const i of [0, 2]) {
      const ack = answers[i]?.ack;
      assert.ok(ack, answers[i]?.err ?? 'no ack');
      assert.equal(ack.stream, stream);
      const stored = await jsm.streams.getMessage(stream, { seq: ack.seq });
      assert.equal(stored.string(), messages[i]?.body);
      assert.equal(stored.header.get('Nats-Msg-Id'), keys[i]);
      assert.equal(stored.header.get('note'), `façade ${i} ✓`);
    }
  });

  test('in one batch, each PubAck is told to its own message: stored, a duplicate of the one before it, refused by JetStream', async () => {
    const publisher = new JetStreamPublisher(nc, 5000);
    const key = unique('ack');
    const message = (headers: ReadonlyArray<readonly [string, string]>, i: number) => ({
      subject: `${prefix}.acks`,
      headers: natsHeaderText(headers, {}),
      body: JSON.stringify({ i }),
    });
    const messages = [
      message([['Nats-Msg-Id', key]], 0),
      message([['Nats-Msg-Id', key]], 1),
      message(
        [
          ['Nats-Msg-Id', unique('ack')],
          ['Nats-Expected-Last-Sequence', '999999999'],
        ],
        2,
      ),
      message([['Nats-Msg-Id', unique('ack')]], 3),
    ];
    const answers: Array<{ ack: PubAck | null; err: string | null }> = [];
    await publisher.publishBatch(
      messages,
      (i, ack, err) => (answers[i] = { ack, err: err?.message ?? null }),
    );
    const [stored, duplicate, refused, next] = answers;
    assert.ok(stored?.ack, stored?.err ?? 'no ack');
    assert.deepEqual(duplicate, { ack: { stream, seq: stored.ack.seq, duplicate: true }, err: null });
    assert.equal(refused?.ack, null);
    assert.match(refused?.err ?? '', /^JetStream refused the message: wrong last sequence: \d+ \(10071\)$/);
    assert.deepEqual(next, { ack: { stream, seq: stored.ack.seq + 1, duplicate: false }, err: null });
    assert.deepEqual(stored.ack, { stream, seq: stored.ack.seq, duplicate: false });
  });

  test('a batch to a subject no stream takes: every message fails naming the subject', async () => {
    const nowhere = unique('wharf_nostream');
    const t = createNatsTransport({ url: SERVICE_URLS.nats, subject: `${nowhere}.{name}`, timeoutMs: 5000 });
    const results = await t.sendBatch!(
      [outboundMessage(), outboundMessage('messages/status-failed.json')],
      never,
    );
    await t.close();
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', new RegExp(`no JetStream stream takes the subject ${nowhere}\\.`));
    }
  });

  test('an unreachable server is a failure in plain words', async () => {
    const t = createNatsTransport({
      url: 'nats://127.0.0.1:1',
      subject: `${prefix}.{name}`,
      timeoutMs: 2000,
    });
    const r = await t.send(outboundMessage(), never);
    await t.close();
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /connection refused|CONNECTION_REFUSED/i);
  });
});

serviceSuite('rabbitmq destination (publisher confirms)', rabbitDown, () => {
  let model: ChannelModel;
  let ch: Channel;
  const exchange = unique('wharf_amqp');
  before(async () => {
    model = await amqpConnect(SERVICE_URLS.rabbitmq);
    ch = await model.createChannel();
    await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
  });
  after(async () => {
    await ch.deleteExchange(exchange);
    await model.close();
  });

  test('a message no queue is bound for is a failure saying it is unroutable, not a silent loss', async () => {
    const t = createRabbitmqTransport({
      url: SERVICE_URLS.rabbitmq,
      exchange,
      routingKey: 'nobody.{name}',
      timeoutMs: 5000,
    });
    const r = await t.send(outboundMessage(), never);
    await t.close();
    assert.equal(r.ok, false);
    assert.match(
      r.error ?? '',
      new RegExp(
        `unroutable: no queue is bound to exchange "${exchange}" for routing key "nobody\\.message\\.text"`,
      ),
    );
  });

  test('messages are persistent, typed with the event name and routed by the routing_key template', async () => {
    const q = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(q.queue, exchange, 'wharf.*.status.#');
    const t = createRabbitmqTransport({
      url: SERVICE_URLS.rabbitmq,
      exchange,
      routingKey: 'wharf.{phone_number_id}.{name}',
      timeoutMs: 5000,
    });
    const m = outboundMessage('messages/status-failed.json');
    const r = await t.send(m, never);
    await t.close();
    assert.equal(r.ok, true, r.error ?? '');
    const got = await ch.get(q.queue, { noAck: true });
    assert.ok(got);
    assert.equal(got.fields.routingKey, 'wharf.900000000000001.status.failed');
    assert.equal(got.properties.deliveryMode, 2);
    assert.equal(got.properties.messageId, m.eventKey);
    assert.equal(got.properties.type, 'status.failed');
    assert.equal(got.properties.contentType, 'application/json');
    assert.equal(got.content.toString(), m.body);
  });

  test('after the broker closed the channel (missing exchange), the next send opens a new one', async () => {
    const missing = unique('wharf_missing');
    const t = createRabbitmqTransport({ url: SERVICE_URLS.rabbitmq, exchange: missing, timeoutMs: 5000 });
    assert.match((await t.send(outboundMessage(), never)).error ?? '', /NOT_FOUND/);
    await ch.assertExchange(missing, 'fanout', { autoDelete: false });
    const q = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(q.queue, missing, '');
    const r = await t.send(outboundMessage(), never);
    await t.close();
    await ch.deleteExchange(missing);
    assert.equal(r.ok, true, r.error ?? '');
  });

  test('a wrong password is a failure that never shows the password', async () => {
    const url = SERVICE_URLS.rabbitmq.replace(/\/\/[^@]*@/, '//guest:Sup3rSecretPassw0rd@');
    const t = createRabbitmqTransport({ url, exchange, timeoutMs: 5000 });
    const r = await t.send(outboundMessage(), never);
    await t.close();
    assert.equal(r.ok, false);
    assert.ok(!(r.error ?? '').includes('Sup3rSecretPassw0rd'), r.error ?? '');
  });
});

serviceSuite('redis destination (XADD)', redisDown, () => {
  let client: Redis;
  const prefix = unique('wharf_redis');
  before(() => {
    client = new Redis(SERVICE_URLS.redis);
  });
  after(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  test('the stream template puts in the event name; the entry holds id, key, name and body', async () => {
    const t = createRedisTransport({ url: SERVICE_URLS.redis, stream: `${prefix}:{name}`, timeoutMs: 5000 });
    const m = outboundMessage('messages/status-failed.json');
    const r = await t.send(m, never);
    await t.close();
    assert.equal(r.ok, true, r.error ?? '');
    const [[entryId, fields]] = (await client.xrange(`${prefix}:status.failed`, '-', '+')) as [
      [string, string[]],
    ];
    assert.equal(r.responseExcerpt, `${prefix}:status.failed ${entryId}`);
    assert.deepEqual(fields, ['id', m.id, 'key', m.eventKey, 'name', 'status.failed', 'body', m.body]);
  });

  test('max_len trims the stream (MAXLEN ~)', async () => {
    const stream = `${prefix}:trimmed`;
    const t = createRedisTransport({ url: SERVICE_URLS.redis, stream, maxLen: 10, timeoutMs: 5000 });
    for (let i = 0; i < 300; i++) assert.equal((await t.send(outboundMessage(), never)).ok, true);
    await t.close();
    // "~" lets Redis trim by whole nodes (100 entries by default), so it keeps at most a node more.
    const len = await client.xlen(stream);
    assert.ok(len < 300 && len <= 110, `length ${len}`);
  });

  test('an unreachable server is a failure in plain words', async () => {
    const t = createRedisTransport({ url: 'redis://127.0.0.1:1', stream: `${prefix}:x`, timeoutMs: 2000 });
    const r = await t.send(outboundMessage(), never);
    await t.close();
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /connection refused|ECONNREFUSED/);
  });
});
