/** Conformance fixtures for nats, rabbitmq and redis against the real services (test/helpers/service-suite.ts). */
import { randomBytes } from 'node:crypto';
import { connect as natsConnect, type Msg } from 'nats';
import { connect as amqpConnect } from 'amqplib';
import { Redis } from 'ioredis';
import { createNatsTransport } from '../../src/adapters/destinations/nats.js';
import { createRabbitmqTransport } from '../../src/adapters/destinations/rabbitmq.js';
import { createRedisTransport } from '../../src/adapters/destinations/redis.js';
import type { Arrived, TransportFixture } from '../conformance/destination-transport.conformance.js';
import { SERVICE_URLS } from './service-suite.js';

const unique = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A JetStream stream taking `<prefix>.>`, and a subscriber recording what is published there. */
export async function natsFixture(): Promise<TransportFixture> {
  const prefix = unique('wharf_test');
  const stream = prefix.toUpperCase();
  const nc = await natsConnect({ servers: SERVICE_URLS.nats });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
  const arrived: Arrived[] = [];
  const sub = nc.subscribe(`${prefix}.>`, {
    callback: (_err, msg: Msg) =>
      arrived.push({
        body: msg.string(),
        id: msg.headers?.get('webhook-id') ?? null,
        key: msg.headers?.get('Nats-Msg-Id') ?? null,
      }),
  });
  await nc.flush();
  const open = (subject: string) => createNatsTransport({ url: SERVICE_URLS.nats, subject, timeoutMs: 5000 });
  return {
    transport: open(`${prefix}.{phone_number_id}.{name}`),
    arrived: async () => arrived,
    expectedBody: (m) => m.body,
    carries: { id: true, key: true },
    // No stream takes this subject: JetStream has no responder for it.
    failing: () => open(`${unique('wharf_nostream')}.{name}`),
    failureWords: /no JetStream stream takes the subject wharf_nostream_\w+\.status\.failed/,
    dispose: async () => {
      sub.unsubscribe();
      await jsm.streams.delete(stream);
      await nc.close();
    },
  };
}

/** A topic exchange with an exclusive queue bound to every key, and a consumer recording deliveries. */
export async function rabbitmqFixture(): Promise<TransportFixture> {
  const exchange = unique('wharf_test');
  const model = await amqpConnect(SERVICE_URLS.rabbitmq);
  const ch = await model.createChannel();
  await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
  const q = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(q.queue, exchange, '#');
  const arrived: Arrived[] = [];
  await ch.consume(
    q.queue,
    (msg) => {
      if (msg === null) return;
      const id = msg.properties.headers?.['webhook-id'];
      arrived.push({
        body: msg.content.toString('utf8'),
        id: typeof id === 'string' ? id : null,
        key: typeof msg.properties.messageId === 'string' ? msg.properties.messageId : null,
      });
    },
    { noAck: true },
  );
  const open = (ex: string) =>
    createRabbitmqTransport({
      url: SERVICE_URLS.rabbitmq,
      exchange: ex,
      routingKey: 'wharf.{name}',
      timeoutMs: 5000,
    });
  return {
    transport: open(exchange),
    arrived: async () => arrived,
    expectedBody: (m) => m.body,
    carries: { id: true, key: true },
    failing: () => open(unique('wharf_missing')),
    failureWords: /NOT_FOUND - no exchange 'wharf_missing_\w+'/,
    dispose: async () => {
      await ch.deleteExchange(exchange).catch(() => undefined);
      await model.close();
    },
  };
}

/** A fresh stream key read back with XRANGE; the failing transport writes to a key holding a string. */
export async function redisFixture(): Promise<TransportFixture> {
  const stream = unique('wharf_test');
  const notAStream = unique('wharf_string');
  const client = new Redis(SERVICE_URLS.redis);
  await client.set(notAStream, 'not a stream');
  const open = (key: string) =>
    createRedisTransport({ url: SERVICE_URLS.redis, stream: key, timeoutMs: 5000 });
  return {
    transport: open(stream),
    arrived: async () =>
      (await client.xrange(stream, '-', '+')).map(([, fields]) => {
        const f = new Map<string, string>();
        for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
        return { body: f.get('body') ?? '', id: f.get('id') ?? null, key: f.get('key') ?? null };
      }),
    expectedBody: (m) => m.body,
    carries: { id: true, key: true },
    failing: () => open(notAStream),
    failureWords: /WRONGTYPE/,
    dispose: async () => {
      await client.del(stream, notAStream);
      await client.quit();
    },
  };
}
