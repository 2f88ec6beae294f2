/**
 * What every DestinationTransport (src/ports/destination-transport.ts) must do, run against each
 * kind with its real receiver (a local HTTP server, NATS JetStream, RabbitMQ, Redis, an SMTP
 * server): a message arrives with its body and ids; a receiver that refuses gives ok:false with a
 * clear error and never a throw; many sends at once all arrive; close releases the connections.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DestinationTransport, OutboundMessage } from '../../src/ports/destination-transport.js';
import { outboundMessage } from '../helpers/outbound-message.js';
import { waitFor } from '../helpers/wait-for.js';

/** A message as the receiving side got it. */
export interface Arrived {
  /** The payload as carried (the body, or for slack the person-readable payload). */
  readonly body: string;
  /** The webhook id as carried, or null for a kind that carries none (slack). */
  readonly id: string | null;
  /** The event key as carried (broker message id), or null for a kind that carries none. */
  readonly key: string | null;
}

export interface TransportFixture {
  /** A transport to a receiver that accepts. */
  readonly transport: DestinationTransport;
  /** Everything the receiver got so far, in order. */
  arrived(): Promise<readonly Arrived[]>;
  /** What `body` of Arrived must be for message `m`. */
  expectedBody(m: OutboundMessage): string;
  /** Whether this kind carries the webhook id and the event key. */
  readonly carries: { readonly id: boolean; readonly key: boolean };
  /** A transport of the same kind whose receiver refuses every message. */
  failing(): DestinationTransport;
  /** Words the failure's error must hold. */
  readonly failureWords: RegExp;
  dispose(): Promise<void>;
}

export type MakeTransportFixture = () => Promise<TransportFixture>;

const never = new AbortController().signal;

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;
}

export function destinationTransportConformance(name: string, make: MakeTransportFixture): void {
  describe(`DestinationTransport conformance: ${name}`, { timeout: 30_000 }, () => {
    let x: TransportFixture;
    let handlesBefore = 0;
    const closeLater: DestinationTransport[] = [];
    beforeEach(async () => {
      handlesBefore = tcpHandles();
      x = await make();
    });
    // Each test leaves no connection behind (the failing transports' included), so the next one
    // starts from a clean count.
    afterEach(async () => {
      for (const t of closeLater.splice(0)) await t.close();
      await x.transport.close();
      await x.dispose();
      await waitFor('every connection of the test to close', () => tcpHandles() <= handlesBefore);
    });

    test('a message arrives with its body, webhook id and event key', async () => {
      const m = outboundMessage('messages/text.json');
      const r = await x.transport.send(m, never);
      assert.equal(r.ok, true, r.error ?? '');
      assert.equal(r.error, null);
      assert.ok(r.durationMs >= 0);
      await waitFor('the message at the receiver', async () => (await x.arrived()).length === 1);
      const [got] = await x.arrived();
      assert.equal(got!.body, x.expectedBody(m));
      assert.equal(got!.id, x.carries.id ? m.id : null);
      assert.equal(got!.key, x.carries.key ? m.eventKey : null);
    });

    test('a receiver that refuses gives ok:false with a clear error, never a throw', async () => {
      const t = x.failing();
      closeLater.push(t);
      const r = await t.send(outboundMessage('messages/status-failed.json'), never);
      assert.equal(r.ok, false);
      assert.match(r.error ?? '', x.failureWords);
      assert.ok(r.durationMs >= 0);
    });

    test('ten messages sent at once all arrive, each once', async () => {
      const ms = Array.from({ length: 10 }, () => outboundMessage('messages/image.json'));
      const results = await Promise.all(ms.map((m) => x.transport.send(m, never)));
      assert.deepEqual(
        results.map((r) => r.error),
        ms.map(() => null),
      );
      await waitFor('ten messages at the receiver', async () => (await x.arrived()).length === 10);
      if (x.carries.id)
        assert.deepEqual(new Set((await x.arrived()).map((a) => a.id)), new Set(ms.map((m) => m.id)));
    });

    test('close releases its connections', async () => {
      const baseline = tcpHandles();
      const r = await x.transport.send(outboundMessage(), never);
      assert.equal(r.ok, true, r.error ?? '');
      assert.ok(tcpHandles() > baseline, 'a send holds a connection');
      await x.transport.close();
      await waitFor('the connections to close', () => tcpHandles() <= baseline);
    });
  });
}

/**
 * What a kind that sends batches (DestinationTransport.sendBatch) must do besides: one result per
 * message, in order, every message arriving once.
 */
export function batchTransportConformance(name: string, make: MakeTransportFixture): void {
  describe(`DestinationTransport batch conformance: ${name}`, { timeout: 30_000 }, () => {
    let x: TransportFixture;
    const closeLater: DestinationTransport[] = [];
    beforeEach(async () => {
      x = await make();
      assert.ok(x.transport.sendBatch, `${name} sends batches`);
    });
    afterEach(async () => {
      for (const t of closeLater.splice(0)) await t.close();
      await x.transport.close();
      await x.dispose();
    });

    test('a kind that sends batches: every message of a batch arrives once, one result per message in order', async () => {
      const ms = Array.from({ length: 25 }, (_, i) =>
        outboundMessage('messages/image.json', { eventKey: `batch-${i}-${Date.now()}` }),
      );
      const results = await x.transport.sendBatch!(ms, never);
      assert.equal(results.length, ms.length);
      assert.deepEqual(
        results.map((r) => [r.ok, r.error]),
        ms.map(() => [true, null]),
      );
      await waitFor('25 messages at the receiver', async () => (await x.arrived()).length === 25);
      const arrived = await x.arrived();
      if (x.carries.key) assert.deepEqual(arrived.map((a) => a.key).sort(), ms.map((m) => m.eventKey).sort());
      if (x.carries.id) assert.deepEqual(new Set(arrived.map((a) => a.id)), new Set(ms.map((m) => m.id)));
    });

    test('a batch to a receiver that refuses: every message ok:false with a clear error, never a throw', async () => {
      const failing = x.failing();
      closeLater.push(failing);
      const ms = [
        outboundMessage('messages/status-failed.json'),
        outboundMessage('messages/status-failed.json'),
      ];
      const results = await failing.sendBatch!(ms, never);
      assert.equal(results.length, 2);
      for (const r of results) {
        assert.equal(r.ok, false);
        assert.match(r.error ?? '', x.failureWords);
      }
    });
  });
}
