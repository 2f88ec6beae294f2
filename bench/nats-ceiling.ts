/**
 * The reference for the nats figure of `bench:forward`: how many JetStream publishes a second this
 * machine takes with nothing of Wharf in the way — the same client library, the same pipelined
 * publisher Wharf uses (one reply inbox, batches of `--batch` messages written as one block of
 * frames, up to `--in-flight` messages unanswered), the same headers, a body
 * of the size of Wharf's `event` body, and the same receiver (a core subscription on the stream's
 * subjects, as bench/forward-parts.ts has). The server stores every message (JetStream, file
 * storage) before it acks, on the same 2 cores. What this reaches is the ceiling of the nats drain
 * on this machine; it prints the CPU of this process and of nats-server per message.
 *
 *   node --import tsx bench/nats-ceiling.ts [--messages 20000] [--in-flight 500] [--batch 100]
 *     [--bytes 1400] [--nats nats://127.0.0.1:4222] [--rounds 3]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import { JetStreamPublisher } from '../src/adapters/destinations/jetstream-publisher.js';
import { natsHeaderText } from '../src/adapters/destinations/nats-header-text.js';
import { cpuSeconds } from './cpu-seconds.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    'in-flight': { type: 'string', default: '500' },
    batch: { type: 'string', default: '100' },
    bytes: { type: 'string', default: '1400' },
    nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
    rounds: { type: 'string', default: '3' },
  },
});
const messages = Number(values.messages);
const inFlight = Number(values['in-flight']);
const batchSize = Number(values.batch);
const bytes = Number(values.bytes);
const url = values.nats;
const rounds = Number(values.rounds);

function natsServerPid(): number | undefined {
  try {
    const out = execFileSync('pgrep', ['-x', 'nats-server'], { encoding: 'utf8' }).trim().split('\n')[0];
    return out ? Number(out) : undefined;
  } catch {
    return undefined;
  }
}

async function round(n: number): Promise<void> {
  const prefix = `ceiling${process.pid}r${n}`;
  const receiver = await connect({ servers: url });
  const jsm = await receiver.jetstreamManager();
  await jsm.streams.add({ name: prefix, subjects: [`${prefix}.>`], max_age: 600 * 1e9 });
  let received = 0;
  let allArrived: () => void = () => {};
  const arrived = new Promise<void>((r) => (allArrived = r));
  const sub = receiver.subscribe(`${prefix}.>`, {
    callback: () => {
      if (++received === messages) allArrived();
    },
  });
  const nc = await connect({ servers: url });
  const publisher = new JetStreamPublisher(nc, 30_000);
  const body = 'x'.repeat(bytes);
  const serverPid = natsServerPid();
  const cpu0 = [cpuSeconds(process.pid), cpuSeconds(serverPid)];
  const t0 = performance.now();
  let sent = 0;
  let acked = 0;
  await new Promise<void>((done, fail) => {
    const pump = () => {
      while (sent < messages && sent - acked < inFlight) {
        const batch = [];
        for (let i = 0; i < batchSize && sent < messages; i++, sent++) {
          const headers = natsHeaderText([['webhook-id', `msg_${prefix}_${sent}`]], {});
          batch.push({ subject: `${prefix}.status.delivered`, headers, body });
        }
        void publisher
          .publishBatch(batch, (_i, _ack, err) => {
            if (err) fail(err);
            else if (++acked === messages) done();
          })
          .then(pump);
      }
    };
    pump();
  });
  await arrived;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = [cpuSeconds(process.pid), cpuSeconds(serverPid)];
  const per = (a: number | null | undefined, b: number | null | undefined) =>
    a != null && b != null ? `${(((b - a) / messages) * 1e6).toFixed(0)} µs` : 'n/a';
  console.log(
    `round ${n}: ${messages} JetStream publishes of ${bytes} B in batches of ${batchSize}, ≤ ${inFlight} in flight: ${(messages / seconds).toFixed(0)} acked and received a second; CPU per message: this process (publisher + receiver) ${per(cpu0[0], cpu1[0])}, nats-server ${per(cpu0[1], cpu1[1])}`,
  );
  sub.unsubscribe();
  await jsm.streams.delete(prefix);
  await nc.close();
  await receiver.close();
}

for (let n = 1; n <= rounds; n++) await round(n);
