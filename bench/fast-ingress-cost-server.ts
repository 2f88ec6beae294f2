/**
 * The fast ingress of one checkout (`<checkout>/src/api/fast-ingress.ts`) behind a stand-in for the
 * durable write, for bench/fast-ingress-cost.ts: each POST's answer waits for a "group commit" that
 * settles every pending answer together `--commit-ms` after the first of them (no SQLite, no HMAC),
 * so what is measured is the fast path itself: reads, head parsing, the read gate, answers.
 * Prints `PORT <n>`; exits on a line `exit` on stdin.
 * Usage: node --import tsx bench/fast-ingress-cost-server.ts <checkout> [commit-ms] [gate-budget-ms]
 */
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

const checkout = resolve(process.argv[2] ?? '.');
const commitMs = Number(process.argv[3] ?? '1');
const budgetArg = process.argv[4];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}
const OK: Answer = { status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('OK') };

const { createFastIngress } = (await import(`${checkout}/src/api/fast-ingress.ts`)) as {
  createFastIngress: (o: Record<string, unknown>) => { server: import('node:net').Server };
};
// A checkout with the read gate: its budget may be set (callgrind runs 50 times slower than the CPU).
let gate: unknown;
if (budgetArg !== undefined) {
  const { ReadGate } = (await import(`${checkout}/src/api/read-gate.ts`)) as {
    ReadGate: new (o: { budgetMs: number }) => unknown;
  };
  gate = new ReadGate({ budgetMs: Number(budgetArg) });
}

let pending: Array<(a: Answer) => void> = [];
const settle = () => {
  const now = pending;
  pending = [];
  for (const r of now) r(OK);
};
const ingress = createFastIngress({
  webhookPath: '/webhooks/whatsapp',
  maxBodyBytes: 1024 * 1024,
  ...(gate === undefined ? {} : { gate }),
  ingest: () =>
    new Promise<Answer>((r) => {
      if (pending.length === 0) setTimeout(settle, commitMs);
      pending.push(r);
    }),
  tooLarge: () => OK,
  fallback: (s: import('node:net').Socket) => s.destroy(),
});
ingress.server.listen(0, '127.0.0.1', () => {
  const a = ingress.server.address() as import('node:net').AddressInfo;
  process.stdout.write(`PORT ${a.port}\n`);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'exit') process.exit(0);
});
