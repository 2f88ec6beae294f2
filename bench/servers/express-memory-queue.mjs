// (c) The pattern most guides teach: Express + express.json (keeping the raw body for the signature
// check), answer 200, push the payload onto an in-memory queue drained in the background.
// Nothing is durable: a crash or a deploy loses whatever is still queued.
import express from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';

const port = Number(process.argv[2] ?? 0);
const secret = process.argv[3] ?? 'bench-secret';
const queue = [];
let processed = 0;

function drain() {
  while (queue.length > 0) {
    const body = queue.shift();
    for (const entry of body.entry ?? [])
      for (const change of entry.changes ?? []) processed += (change.value?.statuses ?? []).length;
  }
  setTimeout(drain, 1);
}
drain();

const app = express();
app.use(express.json({ limit: '4mb', verify: (req, _res, buf) => (req.rawBody = buf) }));
app.post('/webhooks/whatsapp', (req, res) => {
  const sig = req.get('x-hub-signature-256') ?? '';
  const want = 'sha256=' + createHmac('sha256', secret).update(req.rawBody).digest('hex');
  if (sig.length !== want.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(want)))
    return res.sendStatus(401);
  queue.push(req.body);
  res.sendStatus(200);
});
const server = app.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => {
  console.log(`drained ${processed} statuses`);
  server.close(() => process.exit(0));
});
