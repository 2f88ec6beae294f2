/**
 * The nats transport's own CPU per message, without Wharf around it: `sendBatch` of batches of 100
 * real-shaped messages (test fixtures, a format `event`-sized body), 10 batches in flight as the
 * dispatcher keeps them, to a JetStream stream of its own. Meant to run under
 * `valgrind --tool=callgrind` twice, with two message counts: the difference of the instruction
 * counts over the difference of the counts is the transport's instructions per message, without
 * start-up and with most of the JIT's one-off work cancelled (a measure that holds on a loaded
 * machine, unlike CPU time). It also prints this process's CPU time per message.
 *
 *   node --import tsx bench/nats-transport-cost.ts [messages=20000] [nats://127.0.0.1:4222]
 *   valgrind --tool=callgrind --callgrind-out-file=/tmp/a.out node --import tsx bench/nats-transport-cost.ts 5000
 */
import { connect } from 'nats';
import { createNatsTransport } from '../src/adapters/destinations/nats.js';
import type { OutboundMessage } from '../src/ports/destination-transport.js';
import { outboundMessage } from '../test/helpers/outbound-message.js';

const messages = Number(process.argv[2] ?? '20000');
const url = process.argv[3] ?? 'nats://127.0.0.1:4222';
const BATCH = 100;
const IN_FLIGHT = 10;

const prefix = `cost${process.pid}`;
const admin = await connect({ servers: url });
const jsm = await admin.jetstreamManager();
await jsm.streams.add({ name: prefix, subjects: [`${prefix}.>`], max_age: 600 * 1e9 });
const fixtures = ['messages/text.json', 'messages/image.json', 'messages/status-failed.json'];
const shapes = fixtures.map((f) => outboundMessage(f));
const t = createNatsTransport({ url, subject: `${prefix}.{name}`, timeoutMs: 30_000 });
const never = new AbortController().signal;

const cpu0 = process.cpuUsage();
let next = 0;
let failed = 0;
async function lane(): Promise<void> {
  while (next < messages) {
    const batch: OutboundMessage[] = [];
    for (; batch.length < BATCH && next < messages; next++) {
      const shape = shapes[next % shapes.length] as OutboundMessage;
      batch.push({ ...shape, id: `msg_${next}`, eventKey: `${shape.eventKey}:${next}` });
    }
    for (const r of await t.sendBatch!(batch, never)) if (!r.ok) failed++;
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
const cpu = process.cpuUsage(cpu0);
console.log(
  `${messages} messages in batches of ${BATCH}, ${IN_FLIGHT} in flight: ${failed} failed; CPU ${((cpu.user + cpu.system) / Math.max(1, messages) || 0).toFixed(1)} µs per message`,
);
await t.close();
await jsm.streams.delete(prefix);
await admin.close();
