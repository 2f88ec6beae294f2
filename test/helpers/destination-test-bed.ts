/**
 * What each destination integration test starts, stopped after it: one Wharf with destinations and
 * any number of local receivers (the afterEach is registered by calling this inside a describe).
 */
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startDestinationWharf, type DestinationWharf } from './start-destination-wharf.js';
import { startReceiver, type Receiver } from './destination-receiver.js';

export interface DestinationTestBed {
  wharf(...args: Parameters<typeof startDestinationWharf>): Promise<DestinationWharf>;
  receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver>;
  /** Creates a destination on the test's Wharf through the API; anything but 201 fails the test. */
  create(body: Record<string, unknown>): Promise<{ id: string; secret: string } & Record<string, unknown>>;
}

export function destinationTestBed(): DestinationTestBed {
  let started: DestinationWharf | undefined;
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await started?.stop();
    started = undefined;
    for (const r of receivers.splice(0)) await r.close();
  });
  return {
    async wharf(...args) {
      started = await startDestinationWharf(...args);
      return started;
    },
    async receiver(...args) {
      const r = await startReceiver(...args);
      receivers.push(r);
      return r;
    },
    async create(body) {
      assert.ok(started, 'start the Wharf before creating a destination');
      const a = await started.api('POST', '/api/v1/destinations', body);
      assert.equal(a.status, 201, a.body);
      return a.json as { id: string; secret: string } & Record<string, unknown>;
    },
  };
}
