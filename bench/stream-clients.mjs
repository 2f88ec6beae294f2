// Opens N live streams on Wharf's GET /api/v1/stream (bench/ingest.ts, the streams phase) and reads
// everything they send. Arguments: <port> <api token> <count> [gzip|identity]. With gzip the streams
// ask for it (Accept-Encoding, as browsers' EventSource does) and every client decompresses what it
// gets. Prints "streams open N" once every stream has answered 200, and on SIGTERM
// "streams bytes B decoded D events E0 E1 closed C": bytes read off the sockets (HTTP framing
// included), bytes of event text after decoding, the fewest and most events one stream received
// (every id: line is counted), C streams Wharf ended early.
import { connect } from 'node:net';
import { createGunzip, constants } from 'node:zlib';

const [port, token, count, encoding = 'identity'] = process.argv.slice(2);
const gzip = encoding === 'gzip';
let open = 0;
let closed = 0;
let bytes = 0;
let decoded = 0;
const events = [];
let stopping = false;
/** Per stream: resolves once everything read off its socket is decoded (gunzip works off-thread). */
const decodedAll = [];
const sockets = [];

const ID_LINE = Buffer.from('\nid: ');

/**
 * Counts the id: lines of a stream's text (a frame may be split across reads), searching the bytes
 * as they are: no copy of the (many GB of) decoded text into strings, so the generator's core is
 * left to wrk as far as it can be.
 */
function counter(i) {
  let carry = Buffer.alloc(0);
  return (bytes) => {
    decoded += bytes.length;
    let n = 0;
    // An id line split across two reads starts in the last 4 bytes of the one before.
    const edge = Buffer.concat([carry, bytes.subarray(0, ID_LINE.length - 1)]);
    for (let at = edge.indexOf(ID_LINE); at >= 0 && at < carry.length; at = edge.indexOf(ID_LINE, at + 1))
      n++;
    for (let at = bytes.indexOf(ID_LINE); at >= 0; at = bytes.indexOf(ID_LINE, at + ID_LINE.length)) n++;
    events[i] += n;
    carry = Buffer.from(
      Buffer.concat([carry, bytes.subarray(-(ID_LINE.length - 1))]).subarray(-(ID_LINE.length - 1)),
    );
  };
}

/** The body of a chunked HTTP/1.1 answer, handed on piece by piece as it arrives. */
function dechunk(onBody) {
  let buf = Buffer.alloc(0);
  let left = 0; // bytes of the current chunk still to come
  return (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      if (left > 0) {
        const take = Math.min(left, buf.length);
        if (take === 0) return;
        onBody(buf.subarray(0, take));
        buf = buf.subarray(take);
        left -= take;
        if (left > 0) return;
        left = -2; // the CRLF after the chunk
      }
      if (left < 0) {
        if (buf.length < -left) return;
        buf = buf.subarray(-left);
        left = 0;
      }
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      left = parseInt(buf.subarray(0, eol).toString('latin1'), 16);
      buf = buf.subarray(eol + 2);
      if (left === 0) return;
    }
  };
}

for (let i = 0; i < Number(count); i++) {
  events.push(0);
  const tally = counter(i);
  let body;
  if (gzip) {
    // Large output pieces: a batch decodes to ~1 MB, and 16 KB pieces made hundreds of thousands
    // of callbacks a second on the generator's core.
    const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 1 << 20 });
    gunzip.on('data', (c) => tally(c));
    gunzip.on('error', (e) => console.error(`stream ${i}: ${e.message}`));
    body = dechunk((b) => gunzip.write(b));
    decodedAll.push(
      () =>
        new Promise((r) => {
          gunzip.once('end', r).once('error', r);
          gunzip.end();
        }),
    );
  } else body = dechunk((b) => tally(b));
  const sock = connect(Number(port), '127.0.0.1', () =>
    sock.write(
      `GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Accept: text/event-stream\r\n${gzip ? 'Accept-Encoding: gzip\r\n' : ''}\r\n`,
    ),
  );
  let head = '';
  sock.on('data', (chunk) => {
    bytes += chunk.length;
    if (head === null) return body(chunk);
    head += chunk.toString('latin1');
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    if (!head.startsWith('HTTP/1.1 200')) {
      console.error(`stream ${i} refused: ${head.split('\r\n')[0]}`);
      process.exit(1);
    }
    if (gzip !== /\r\ncontent-encoding: gzip\r\n/i.test(head.slice(0, end + 2))) {
      console.error(`stream ${i}: asked for ${encoding}, got ${head.slice(0, end)}`);
      process.exit(1);
    }
    const rest = Buffer.from(head.slice(end + 4), 'latin1');
    head = null;
    if (rest.length > 0) body(rest);
    if (++open === Number(count)) console.log(`streams open ${open}`);
  });
  sock.on('error', () => {});
  sock.on('close', () => stopping || closed++);
  sockets.push(sock);
}
process.on('SIGTERM', async () => {
  stopping = true;
  for (const s of sockets) s.destroy();
  await Promise.all(decodedAll.map((f) => f()));
  console.log(
    `streams bytes ${bytes} decoded ${decoded} events ${Math.min(...events)} ${Math.max(...events)} closed ${closed}`,
  );
  process.exit(0);
});
