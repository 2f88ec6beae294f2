import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDestinationTransport } from '../../../src/adapters/destinations/open-destination-transport.js';
import type { Destination, DestinationKind } from '../../../src/core/destinations/destination.js';
import { WharfError } from '../../../src/errors.js';
import { packageVersion } from '../../../src/util/package-version.js';
import { Webhook } from 'standardwebhooks';
import { startHttpReceiver } from '../../helpers/http-receiver.js';
import { newSecret, outboundMessage } from '../../helpers/outbound-message.js';

function destination(kind: DestinationKind, settings: Record<string, unknown>): Destination {
  return {
    id: 'dst_1',
    name: 'crm',
    kind,
    enabled: true,
    filter: {},
    format: 'event',
    settings,
    timeoutMs: 10_000,
    maxInFlight: 10,
    rateLimitPerSecond: null,
    ordering: 'none',
    batchWindowMs: 0,
    transform: null,
    createdAt: 0,
    updatedAt: 0,
    disabledReason: null,
  };
}
const deps = {
  secrets: () => ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  allowPrivate: false,
  userAgent: 'Wharf/test',
};

describe('openDestinationTransport', () => {
  test('opens a transport for every kind with valid settings, connecting to nothing yet', async () => {
    const kinds: Array<[DestinationKind, Record<string, unknown>]> = [
      ['http', { url: 'https://hooks.example.com/x' }],
      ['slack', { url: 'https://hooks.slack.com/services/T/B/X' }],
      ['nats', { url: 'nats://127.0.0.1:4222', subject: 'wharf.{name}' }],
      ['rabbitmq', { url: 'amqp://127.0.0.1', exchange: 'wharf' }],
      ['redis', { url: 'redis://127.0.0.1:6379', stream: 'wharf' }],
      ['email', { url: 'smtp://127.0.0.1:25', to: 'ops@example.com', from: 'wharf@example.com' }],
      ['mysql', { url: 'mysql://root@127.0.0.1:3306/test', table: 'wa_events' }],
      ['postgres', { url: 'postgres://postgres@127.0.0.1:5432/postgres', table: 'public.wa_events' }],
    ];
    for (const [kind, settings] of kinds) {
      const t = openDestinationTransport(destination(kind, settings), deps);
      assert.equal(typeof t.send, 'function', kind);
      await t.close();
    }
  });

  test('sms is another issue: a clear catalogue error', () => {
    for (const kind of ['sms'] as const)
      assert.throws(
        () => openDestinationTransport(destination(kind, {}), deps),
        (e: unknown) =>
          e instanceof WharfError &&
          e.code === 'DESTINATION_KIND_UNAVAILABLE' &&
          e.message.includes(`kind ${kind}`),
      );
  });

  test('invalid settings are refused naming the destination and each field', () => {
    assert.throws(
      () => openDestinationTransport(destination('redis', { url: 'http://x' }), deps),
      (e: unknown) =>
        e instanceof WharfError &&
        e.code === 'DESTINATION_SETTINGS_INVALID' &&
        e.status === 422 &&
        /destination crm: url must be a redis:\/\/ or rediss:\/\/ URL; stream is required/.test(e.message),
    );
  });

  test('an http destination signs with the secrets it is given and says Wharf/<package version>', async () => {
    const rx = await startHttpReceiver();
    const secret = newSecret();
    const t = openDestinationTransport(destination('http', { url: `${rx.url}/in` }), {
      secrets: () => [secret],
      allowPrivate: true,
    });
    const m = outboundMessage();
    const r = await t.send(m, new AbortController().signal);
    await t.close();
    await rx.close();
    assert.equal(r.ok, true, r.error ?? '');
    const got = rx.requests[0]!;
    assert.equal(got.headers['user-agent'], `Wharf/${packageVersion()}`);
    assert.match(packageVersion(), /^\d+\.\d+\.\d+/);
    assert.doesNotThrow(() => new Webhook(secret).verify(got.body, got.headers as Record<string, string>));
  });

  test('an http:// destination opens only when private addresses are allowed', () => {
    const d = destination('http', { url: 'http://127.0.0.1:8080/x' });
    assert.throws(() => openDestinationTransport(d, deps), /url must be a https:\/\/ URL/);
    return openDestinationTransport(d, { ...deps, allowPrivate: true }).close();
  });
});
