import type { AppendOutcome, NewDelivery } from '../../ports/inbox.js';

/**
 * A group commit as it crosses to the inbox writer thread: the bodies copied once into one
 * buffer that is transferred (not cloned), their lengths, received times and secret indexes in a
 * Float64Array, and the request ids.
 */
export interface AppendBatchMessage {
  readonly seq: number;
  readonly bodies: ArrayBuffer;
  /** Per delivery: byte length, received at (epoch ms), secret index. */
  readonly meta: Float64Array;
  readonly requestIds: readonly string[];
}

/** The writer's answer: ids and duplicate flags in input order, hex hashes concatenated. */
export interface AppendReply {
  readonly seq: number;
  readonly ids: Float64Array;
  readonly duplicate: Uint8Array;
  readonly hashes: string;
}

const HASH_HEX = 64;

export function encodeAppendBatch(
  seq: number,
  deliveries: readonly NewDelivery[],
): { message: AppendBatchMessage; transfer: ArrayBuffer[] } {
  let total = 0;
  for (const d of deliveries) total += d.body.byteLength;
  const bodies = new Uint8Array(new ArrayBuffer(total));
  const meta = new Float64Array(deliveries.length * 3);
  let offset = 0;
  deliveries.forEach((d, i) => {
    bodies.set(d.body, offset);
    offset += d.body.byteLength;
    meta[i * 3] = d.body.byteLength;
    meta[i * 3 + 1] = d.receivedAt;
    meta[i * 3 + 2] = d.secretIndex;
  });
  const requestIds = deliveries.map((d) => d.requestId);
  return {
    message: { seq, bodies: bodies.buffer, meta, requestIds },
    transfer: [bodies.buffer, meta.buffer as ArrayBuffer],
  };
}

export interface AppendBatch {
  readonly length: number;
  body(i: number): Buffer;
  receivedAt(i: number): number;
  secretIndex(i: number): number;
  requestId(i: number): string;
}

export function readAppendBatch(m: AppendBatchMessage): AppendBatch {
  const length = m.meta.length / 3;
  const starts = new Float64Array(length + 1);
  for (let i = 0; i < length; i++) starts[i + 1] = (starts[i] as number) + (m.meta[i * 3] as number);
  return {
    length,
    body: (i) => Buffer.from(m.bodies, starts[i], m.meta[i * 3]),
    receivedAt: (i) => m.meta[i * 3 + 1] as number,
    secretIndex: (i) => m.meta[i * 3 + 2] as number,
    requestId: (i) => m.requestIds[i] ?? '',
  };
}

export function decodeAppendReply(r: AppendReply): AppendOutcome[] {
  const out: AppendOutcome[] = new Array(r.ids.length);
  for (let i = 0; i < r.ids.length; i++)
    out[i] = {
      id: String(r.ids[i]),
      duplicate: r.duplicate[i] === 1,
      bodyHash: r.hashes.slice(i * HASH_HEX, (i + 1) * HASH_HEX),
    };
  return out;
}
