// The kernel's share of a live stream: the CPU a process spends writing the same Buffer to N
// loopback TCP sockets whose reader (a child process) reads everything. Prints CPU ns per byte and
// µs per write of the writing process (user + system, process.cpuUsage). Used in docs/benchmarks.md
// ("Live streams and ingest"): what one client-event costs at the least, whatever the server does.
// Usage: node bench/socket-write-cost.mjs <sockets> <bytes per write> <rounds>   (e.g. 500 10000 200)
import { createServer, connect } from 'node:net';
import { fork } from 'node:child_process';

const [n = 500, size = 10000, rounds = 200, role, port] = process.argv
  .slice(2)
  .map((a, i) => (i < 3 ? Number(a) : a));
if (role === 'reader') {
  let bytes = 0;
  for (let i = 0; i < n; i++) connect(Number(port), '127.0.0.1').on('data', (c) => (bytes += c.length));
  process.on('message', () => process.send({ bytes }));
} else {
  const sockets = [];
  const server = createServer((s) => {
    sockets.push(s);
    if (sockets.length === n) void run();
  });
  let reader;
  server.listen(0, '127.0.0.1', () => {
    const args = [String(n), String(size), String(rounds), 'reader', String(server.address().port)];
    reader = fork(new URL(import.meta.url).pathname, args);
  });
  const buf = Buffer.alloc(size, 'x');
  const drained = () =>
    new Promise((resolve) => {
      const check = () => (sockets.some((s) => s.writableLength > 0) ? setTimeout(check, 1) : resolve());
      check();
    });
  async function run() {
    const cpu0 = process.cpuUsage();
    let sent = 0;
    for (let r = 0; r < rounds; r++) {
      for (const s of sockets) s.write(buf);
      sent += size * n;
      await drained();
    }
    const cpu = process.cpuUsage(cpu0);
    const us = cpu.user + cpu.system;
    reader.send('done');
    reader.once('message', ({ bytes }) => {
      console.log(
        `${n} sockets, ${size} B per write, ${(sent / 1e9).toFixed(2)} GB written (${(bytes / 1e9).toFixed(2)} GB read): ` +
          `writer CPU ${(us / 1000).toFixed(0)} ms (system ${(cpu.system / 1000).toFixed(0)}) = ${((us * 1000) / sent).toFixed(3)} ns per byte, ${(us / (rounds * n)).toFixed(2)} µs per write`,
      );
      process.exit(0);
    });
  }
}
