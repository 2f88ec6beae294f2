// (d) The minimal correct durable receiver, the practical limit a durable ingress is measured against:
// node:http, a timing-safe HMAC check of X-Hub-Signature-256 over the raw bytes, each accepted body
// appended to one file as a length-prefixed record, and the 200s of a group sent only after one
// fdatasync covering all of them (the next group gathers while a flush is in flight). Nothing else:
// no dedupe, no processing, no reading back.
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { openSync, writev, fdatasync } from 'node:fs';

const [port = '0', secret = 'bench-secret', file = 'inbox.log'] = process.argv.slice(2);
const fd = openSync(file, 'a');
let group = []; // [record header, body, response] of requests waiting for the next flush
let flushing = false;

function flush() {
  if (flushing || group.length === 0) return;
  flushing = true;
  const batch = group;
  group = [];
  const buffers = batch.flatMap(([head, body]) => [head, body]);
  const total = buffers.reduce((n, b) => n + b.length, 0);
  writev(fd, buffers, (err, written) => {
    if (err || written !== total) return answer(batch, 503); // a short write is a failed write
    fdatasync(fd, (err2) => answer(batch, err2 ? 503 : 200));
  });
}
function answer(batch, status) {
  for (const [, , res] of batch) res.writeHead(status, { 'content-length': 0 }).end();
  flushing = false;
  flush();
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const got = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
    const want = Buffer.from('sha256=' + createHmac('sha256', secret).update(body).digest('hex'));
    if (got.length !== want.length || !timingSafeEqual(got, want)) return res.writeHead(401).end();
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    group.push([head, body, res]);
    flush();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
