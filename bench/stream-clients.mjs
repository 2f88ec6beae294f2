// Opens N live streams on Wharf's GET /api/v1/stream (bench/ingest.ts, the streams phase) and reads
// everything they send. Arguments: <port> <api token> <count> [gzip|identity] [decode every k]. With
// gzip the streams ask for it (Accept-Encoding, as browsers' EventSource does). Every stream's bytes
// are read and checksummed (CRC-32 of its body as it came off the socket); one stream in k (k = 1:
// all, as before 2026-12-07) is also de-chunked, decompressed and its events counted. The clients of
// one filter are sent the same bytes, so a stream whose byte count and checksum equal a decoded
// stream's got the same events: every stream is still checked, for a tenth of the decoding, which
// on the generator's core took the CPU wrk needed (docs/benchmarks.md, "Live streams and ingest").
// Prints "streams open N" once every stream has answered 200, and on SIGTERM, once the streams have
// been quiet for 0.5 s (10 s at most: Wharf may still be sending what it processes after the load),
// "streams bytes B decoded D events E0 E1 closed C unverified U": bytes read off the sockets (HTTP
// framing included), bytes of event text after decoding, the fewest and most events one stream
// received (every id: line is counted), C streams Wharf ended early, U streams whose bytes match no
// decoded stream's (their events are not known); then "ids S0 S1 L0 L1 gaps G": over the decoded
// streams, the fewest and most of the event id each started after (its `: stream from event` line)
// and of the last id it got, and G decoded streams whose event count is not last − start.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createGunzip, constants, crc32 } from 'node:zlib';

const [port, token, count, encoding = 'identity', every = '1'] = process.argv.slice(2);
const gzip = encoding === 'gzip';
const decodeEvery = Math.max(1, Number(every));
/** Per stream: bytes of its body read so far and their CRC-32. */
const bodyBytes = [];
const bodyCrc = [];
let lastData = performance.now();
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
/** Per decoded stream: the first bytes of its text (the stream's start, `: stream from event N`) and the last ones. */
const TAIL = 64 * 1024;
const heads = [];
const tails = [];

/**
 * Counts the id: lines of a stream's text (a frame may be split across reads), searching the bytes
 * as they are: no copy of the (many GB of) decoded text into strings, so the generator's core is
 * left to wrk as far as it can be.
 */
function counter(i) {
  let carry = Buffer.alloc(0);
  return (bytes) => {
    decoded += bytes.length;
    if (heads[i].length < 256) heads[i] = Buffer.concat([heads[i], bytes.subarray(0, 256)]);
    // The last frames (a frame is a few KB): where its last id is read at the end.
    tails[i] =
      bytes.length >= TAIL
        ? Buffer.from(bytes.subarray(-TAIL))
        : Buffer.concat([tails[i], bytes]).subarray(-TAIL);
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
  heads.push(Buffer.alloc(0));
  tails.push(Buffer.alloc(0));
  bodyBytes.push(0);
  bodyCrc.push(0);
  const tally = counter(i);
  const decodes = i % decodeEvery === 0;
  let decode;
  if (!decodes) decode = () => undefined;
  else if (gzip) {
    // Large output pieces: a batch decodes to ~1 MB, and 16 KB pieces made hundreds of thousands
    // of callbacks a second on the generator's core.
    const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 1 << 20 });
    gunzip.on('data', (c) => tally(c));
    gunzip.on('error', (e) => console.error(`stream ${i}: ${e.message}`));
    decode = dechunk((b) => gunzip.write(b));
    decodedAll.push(
      () =>
        new Promise((r) => {
          gunzip.once('end', r).once('error', r);
          gunzip.end();
        }),
    );
  } else decode = dechunk((b) => tally(b));
  const body = (chunk) => {
    bodyBytes[i] += chunk.length;
    bodyCrc[i] = crc32(chunk, bodyCrc[i]);
    lastData = performance.now();
    decode(chunk);
  };
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
  const since = performance.now();
  while (performance.now() - lastData < 500 && performance.now() - since < 10_000)
    await new Promise((r) => setTimeout(r, 100));
  stopping = true;
  for (const s of sockets) s.destroy();
  await Promise.all(decodedAll.map((f) => f()));
  // A stream that was not decoded has the events of a decoded one with the same bytes.
  const known = new Map();
  for (let i = 0; i < sockets.length; i += decodeEvery) known.set(`${bodyBytes[i]}:${bodyCrc[i]}`, events[i]);
  let unverified = 0;
  const counts = [];
  for (let i = 0; i < sockets.length; i++) {
    const n = known.get(`${bodyBytes[i]}:${bodyCrc[i]}`);
    if (n === undefined) unverified++;
    else counts.push(n);
  }
  // Each decoded stream's first event id is its start + 1 and its events run without a gap to the
  // last: events = last − start (Wharf's ids follow each other, one writer at a time).
  const starts = [];
  const lasts = [];
  let gaps = 0;
  for (let i = 0; i < sockets.length; i += decodeEvery) {
    const start = /: stream from event (\d+)/.exec(heads[i].toString('latin1'));
    const at = tails[i].lastIndexOf(ID_LINE);
    const last =
      at < 0 ? null : /^\d+/.exec(tails[i].subarray(at + ID_LINE.length, at + 40).toString('latin1'));
    const s0 = start ? Number(start[1]) : NaN;
    const l0 = last ? Number(last[0]) : s0;
    starts.push(s0);
    lasts.push(l0);
    if (!(events[i] === l0 - s0)) gaps++;
  }
  console.log(
    `streams bytes ${bytes} decoded ${decoded} events ${Math.min(...counts)} ${Math.max(...counts)} closed ${closed} unverified ${unverified}` +
      ` ids ${Math.min(...starts)} ${Math.max(...starts)} ${Math.min(...lasts)} ${Math.max(...lasts)} gaps ${gaps}`,
  );
  process.exit(0);
});
