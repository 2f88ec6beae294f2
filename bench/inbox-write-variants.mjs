// The durable write alone, one design choice at a time (docs/benchmarks.md "Ingest", issue 17 item 2):
// ROWS ≈1.5 KB bodies in group commits of BATCH, each commit durable (fsync) before the next, and the
// CPU of this thread (/proc/thread-self: user + system) per row. No HTTP, no thread hop.
//   node bench/inbox-write-variants.mjs [variant] [rows=40000] [batch=32]
// Variants (join options with +):
//   rows       SQLite as the inbox writer did before: one INSERT per row (deliveries as in the
//              migrations, its (received_at, body_hash) index, WAL, synchronous=FULL, no autocheckpoint)
//   multi      one multi-row INSERT per group commit (what the writer does now)
//   noindex    without the (received_at, body_hash) index;  p8k  page_size 8192
//   nohash     no SHA-256 of the body;  nosync  synchronous=OFF / no fdatasync (what the fsync costs)
//   log        prototype segment log: per record a 56-byte header (length, received at, secret index,
//              SHA-256 of the body, CRC-32 of the header, magic) + the body; one writev per group
//              commit at the end of the file, then one fdatasync
//   prealloc   (with log) the segment is written with zeros first, so a commit never changes the
//              file's size or extents and fdatasync flushes data only
import Database from 'better-sqlite3';
import { hash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, mkdtempSync, openSync, writevSync, fdatasyncSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [variant = 'multi', rowsArg = '40000', batchArg = '32'] = process.argv.slice(2);
const ROWS = Number(rowsArg);
const BATCH = Number(batchArg);
const opts = new Set(variant.split('+'));

/** CPU µs (user + system) of the calling thread. */
function threadCpuUs() {
  const s = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 1e4;
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf, end) {
  let c = -1;
  for (let i = 0; i < end; i++) c = CRC[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const dir = mkdtempSync(join(process.cwd(), '.inbox-write-'));
const text = randomBytes(1200).toString('base64').slice(0, 1500);
/** A unique ≈1.5 KB body per row. */
const body = (i) => Buffer.from(`${i}:${text}`);
const digest = (b) =>
  opts.has('nohash') ? `x${b.length}${b.subarray(0, 8).toString('hex')}` : hash('sha256', b);

let commit;
let walFile = null;
if (opts.has('log')) {
  const file = join(dir, 'segment.log');
  const prealloc = opts.has('prealloc');
  const fd = openSync(file, prealloc ? 'w+' : 'a');
  if (prealloc) {
    const zeros = Buffer.alloc(1 << 20);
    for (let mb = 0; mb < Math.ceil((ROWS * 1700) / (1 << 20)) + 1; mb++) writevSync(fd, [zeros]);
    fdatasyncSync(fd);
  }
  let at = 0;
  commit = (start) => {
    const buffers = [];
    let length = 0;
    for (let i = start; i < start + BATCH; i++) {
      const b = body(i);
      const head = Buffer.allocUnsafe(56);
      head.writeUInt32LE(b.length, 0);
      head.writeDoubleLE(Date.now(), 4);
      head.writeUInt32LE(0, 12);
      hash('sha256', b, 'buffer').copy(head, 16);
      head.writeUInt32LE(crc32(head, 48), 48);
      head.writeUInt32LE(0x57484152, 52);
      buffers.push(head, b);
      length += 56 + b.length;
    }
    writevSync(fd, buffers, prealloc ? at : null);
    at += length;
    if (!opts.has('nosync')) fdatasyncSync(fd);
  };
} else {
  walFile = join(dir, 'inbox.db-wal');
  const db = new Database(join(dir, 'inbox.db'));
  if (opts.has('p8k')) db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.has('nosync') ? 'OFF' : 'FULL'}`);
  db.pragma('wal_autocheckpoint = 0');
  db.exec(`CREATE TABLE deliveries (id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, body_hash TEXT NOT NULL,
    body BLOB NOT NULL, size INTEGER NOT NULL, secret_index INTEGER NOT NULL, request_id TEXT NOT NULL,
    duplicates INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending'
      CHECK (state IN ('pending', 'processing', 'processed', 'invalid')),
    lease_owner TEXT, lease_until INTEGER, attempts INTEGER NOT NULL DEFAULT 0, processed_at INTEGER, error TEXT)`);
  if (!opts.has('noindex'))
    db.exec('CREATE INDEX deliveries_received_at ON deliveries (received_at, body_hash)');
  const columns = '(id, received_at, body_hash, body, size, secret_index, request_id)';
  const one = db.prepare(`INSERT INTO deliveries ${columns} VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const all = db.prepare(
    `INSERT INTO deliveries ${columns} VALUES ${Array(BATCH).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
  );
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM deliveries').pluck();
  const write = db.transaction((start) => {
    let id = maxId.get();
    const values = [];
    for (let i = start; i < start + BATCH; i++) {
      const b = body(i);
      const row = [++id, Date.now(), digest(b), b, b.length, 0, `request-${i}`];
      if (opts.has('multi')) values.push(...row);
      else one.run(row);
    }
    if (opts.has('multi')) all.run(values);
  });
  commit = (start) => write.immediate(start);
}

const cpu0 = threadCpuUs();
const wall0 = performance.now();
for (let start = 0; start < ROWS; start += BATCH) commit(start);
const cpu = (threadCpuUs() - cpu0) / ROWS;
const wall = ((performance.now() - wall0) * 1000) / ROWS;
const walBytes = walFile ? statSync(walFile).size / ROWS : 0;
console.log(
  `${variant.padEnd(16)} batch ${BATCH}: ${cpu.toFixed(1)} µs CPU/row, ${wall.toFixed(1)} µs wall/row` +
    (walFile ? `, WAL ${walBytes.toFixed(0)} B/row` : '') +
    `, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
);
rmSync(dir, { recursive: true, force: true });
