// Opens N live streams on Wharf's GET /api/v1/stream (bench/ingest.ts, the streams phase) and reads
// everything they send. Arguments: <port> <api token> <count>. Prints "streams open N" once every
// stream has answered 200, and on SIGTERM "streams bytes B closed C" (C: streams Wharf ended early).
import { connect } from 'node:net';

const [port, token, count] = process.argv.slice(2);
let open = 0;
let closed = 0;
let bytes = 0;
let stopping = false;
for (let i = 0; i < Number(count); i++) {
  const sock = connect(Number(port), '127.0.0.1', () =>
    sock.write(
      `GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`,
    ),
  );
  let head = '';
  sock.on('data', (chunk) => {
    bytes += chunk.length;
    if (head === null) return;
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    if (!head.startsWith('HTTP/1.1 200')) {
      console.error(`stream ${i} refused: ${head.split('\r\n')[0]}`);
      process.exit(1);
    }
    head = null;
    if (++open === Number(count)) console.log(`streams open ${open}`);
  });
  sock.on('error', () => {});
  sock.on('close', () => stopping || closed++);
}
process.on('SIGTERM', () => {
  stopping = true;
  console.log(`streams bytes ${bytes} closed ${closed}`);
  process.exit(0);
});
