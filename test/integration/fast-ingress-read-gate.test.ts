import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createFastIngress, type FastIngress } from '../../src/api/fast-ingress.js';
import { ReadGate } from '../../src/api/read-gate.js';

const PATH = '/webhooks/whatsapp';
const post = (b: string) =>
  `POST ${PATH} HTTP/1.1\r\nHost: t\r\nContent-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`;

/** Resolves once `cond` holds, checked after each event-loop turn. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** A client connection that counts the answers it reads and notes when the server closes. */
function client(port: number): { sock: Socket; answers: () => string[]; closed: () => boolean } {
  const sock = connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  sock.on('data', (c: Buffer) => (text += c.toString('latin1')));
  sock.on('close', () => (closed = true));
  return { sock, answers: () => text.match(/HTTP\/1\.1 \d{3}/g) ?? [], closed: () => closed };
}

const written = (sock: Socket, bytes: string) => new Promise<void>((r) => sock.write(bytes, () => r()));

/**
 * The fast path with a gate whose clock and turn end the test drives: a request whose ingest
 * "takes" 50 ms (the clock moves on) spends the turn's 10 ms budget, and the turn ends only when the
 * test says (the gate's deferred turn end is kept, not run by setImmediate).
 */
describe('the read gate: no request is processed past a turn’s budget, and none is lost or reordered', () => {
  let clock = 0;
  let turnEnd: (() => void) | null = null;
  let gate: ReadGate;
  let ingress: FastIngress;
  let port = 0;
  let accepted = 0;
  const ingested: string[] = [];

  async function start(capacity?: number): Promise<void> {
    clock = 0;
    turnEnd = null;
    accepted = 0;
    ingested.length = 0;
    gate = new ReadGate({ budgetMs: 10, now: () => clock, defer: (fn) => (turnEnd = fn), capacity });
    ingress = createFastIngress({
      webhookPath: PATH,
      maxBodyBytes: 4096,
      gate,
      ingest: (body) => {
        const text = body.toString();
        ingested.push(text);
        if (text.startsWith('slow')) clock += 50;
        return { status: 200, headers: {}, body: Buffer.from(text) };
      },
      tooLarge: () => ({ status: 413, headers: {}, body: Buffer.alloc(0) }),
      fallback: (sock) => sock.destroy(),
    });
    ingress.server.on('connection', () => accepted++);
    await new Promise<void>((r) => ingress.server.listen(0, '127.0.0.1', () => r()));
    port = (ingress.server.address() as { port: number }).port;
  }

  afterEach(async () => {
    ingress.destroyAll();
    await new Promise((r) => ingress.server.close(r));
  });

  /** Ends the turn in progress (as setImmediate would) and waits until `cond` holds. */
  async function endTurnUntil(cond: () => boolean): Promise<void> {
    while (!cond()) {
      const end = turnEnd;
      turnEnd = null;
      end?.();
      await new Promise((r) => setImmediate(r));
    }
  }

  test('a connection whose POSTs arrive past the budget is held, then served in order with every byte, its half-close honoured; accepts go on meanwhile', async () => {
    await start();
    const a = client(port);
    a.sock.write(post('slow-a'));
    await until(() => a.answers().length === 1);
    // A spent the turn's budget; answered within it, it now waits before reading its next request.
    assert.equal(gate.held, 1);

    const b = client(port);
    await written(b.sock, post('b1') + post('b2').slice(0, 30));
    await until(() => gate.held === 2);
    assert.equal(accepted, 2, 'B was accepted although the turn had spent its budget');
    assert.deepEqual(ingested, ['slow-a'], 'B’s first POST was read but not processed');

    // The rest of b2, a third POST and the client's FIN arrive while B is held: they stay in the kernel.
    await written(b.sock, post('b2').slice(30) + post('b3'));
    b.sock.end();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(
      ingress.budget.used,
      Buffer.byteLength(post('b1') + post('b2').slice(0, 30)),
      'nothing more was read from B',
    );
    const c = client(port);
    c.sock.write(post('c1'));
    await until(() => accepted === 3 && gate.held === 3);
    assert.deepEqual(ingested, ['slow-a']);
    assert.equal(b.answers().length, 0);

    await endTurnUntil(() => b.closed() && c.answers().length === 1);
    assert.deepEqual(b.answers(), ['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200']);
    assert.deepEqual(
      ingested.filter((x) => x.startsWith('b')),
      ['b1', 'b2', 'b3'],
      'B’s POSTs, split across the hold, each processed once, whole and in order',
    );
    // Held with bytes first, in arrival order: B's first POST, then C's, then what B had left in the kernel.
    assert.deepEqual(ingested.slice(0, 3), ['slow-a', 'b1', 'c1']);
    a.sock.destroy();
    c.sock.destroy();
  });

  test('when the budget runs out, connections waiting for their next request stop reading, and are let read again in the order they were answered, a turn’s capacity at a time', async () => {
    await start(1);
    // Three connections answered within a turn's budget, reading on for their next request.
    const cs = [client(port), client(port), client(port)];
    for (const [i, k] of cs.entries()) {
      k.sock.write(post(`first-${i}`));
      await until(() => k.answers().length === 1);
    }
    await endTurnUntil(() => turnEnd === null);
    const slow = client(port);
    slow.sock.write(post('slow'));
    await until(() => slow.answers().length === 1);
    const late = client(port);
    await written(late.sock, post('late'));
    await until(() => gate.held > 1);
    // Late's POST came past the budget: the three connections stopped reading at that moment.
    assert.equal(gate.held, 5);

    // Their next POSTs are sent now and stay in the kernel until the gate lets each read again.
    for (const [i, k] of cs.entries()) await written(k.sock, post(`second-${i}`));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ingress.budget.used, Buffer.byteLength(post('late')), 'only late’s POST was read');
    const seconds = () => ingested.filter((x) => x.startsWith('second'));
    await endTurnUntil(() => seconds().length > 0);
    assert.deepEqual(seconds(), ['second-0']);
    await endTurnUntil(() => seconds().length === 3);
    assert.deepEqual(seconds(), ['second-0', 'second-1', 'second-2']);
    assert.ok(ingested.indexOf('late') < ingested.indexOf('second-0'));
    for (const k of [...cs, slow, late]) k.sock.destroy();
  });
});
