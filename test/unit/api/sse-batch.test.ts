import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, gunzipSync, inflateRawSync } from 'node:zlib';
import { SseBatch, SseFrames } from '../../../src/api/sse-batch.js';
import { GZIP_STREAM_HEADER, sseChunk } from '../../../src/api/sse-chunk.js';

const frame = (id: number) => `id: ${id}\nevent: status.sent\ndata: {"id":"${id}","name":"José"}\n\n`;
/** Frames as one run of bytes, as encodedFrames makes them. */
const run = (frames: ReadonlyArray<readonly [number, string]>) => {
  const bytes = frames.map(([, text]) => Buffer.from(text));
  let end = 0;
  return new SseFrames(
    frames.map(([id]) => id),
    bytes.map((b) => (end += b.length)),
    Buffer.concat(bytes),
  );
};
const frames = (...ids: number[]) => run(ids.map((id) => [id, frame(id)] as const));
const batch = (...ids: number[]) => new SseBatch([frames(...ids)]);
const decodeStream = (pieces: Buffer[]) =>
  gunzipSync(Buffer.concat([GZIP_STREAM_HEADER, ...pieces]), {
    finishFlush: constants.Z_SYNC_FLUSH,
  }).toString();

describe('a batch of stream frames', () => {
  test('is encoded once per encoding: every client is handed the same Buffer', () => {
    const b = batch(1, 2, 3);
    assert.equal(b.chunk(false), b.chunk(false));
    assert.equal(b.chunk(true), b.chunk(true));
    assert.equal(
      b.chunkAfter(0, true),
      b.chunk(true),
      'a client that has none of them gets the shared bytes',
    );
    assert.equal(b.chunk(false).toString(), frame(1) + frame(2) + frame(3));
  });

  test('is framed once as one HTTP/1.1 chunk for writing straight to each socket', () => {
    const b = batch(1, 2);
    for (const gzip of [false, true]) {
      const body = b.chunk(gzip);
      assert.equal(b.httpChunk(gzip), b.httpChunk(gzip), 'the same Buffer for every client');
      assert.deepEqual(
        b.httpChunk(gzip),
        Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]),
      );
    }
  });

  test('gives a client that caught up alone only the frames it does not have', () => {
    const b = batch(4, 5, 6);
    assert.equal(b.chunkAfter(4, false).toString(), frame(5) + frame(6));
    assert.equal(
      inflateRawSync(b.chunkAfter(5, true), { finishFlush: constants.Z_SYNC_FLUSH }).toString(),
      frame(6),
    );
    assert.equal(b.chunkAfter(6, false).length, 0);
  });

  test('held as runs of bytes (one per commit): the frames after an id are cut at byte offsets, multi-byte characters included', () => {
    const b = new SseBatch([frames(7, 8), frames(9, 10)]);
    assert.equal(b.chunk(false).toString(), frame(7) + frame(8) + frame(9) + frame(10));
    assert.equal(b.chunkAfter(8, false).toString(), frame(9) + frame(10), 'a run left out whole');
    assert.equal(b.chunkAfter(9, false).toString(), frame(10), 'a run cut inside');
    assert.equal(frames(7, 8, 9).after(7).from(1).bytes.toString(), frame(9), 'a cut of a cut');
    assert.equal(SseFrames.comment('keep-alive').first, Infinity, 'a comment is no resume point');
  });

  test('gzip pieces are each complete: any run of them after the header decodes, whatever came before', () => {
    const pieces = [batch(1, 2).chunk(true), batch(3).chunk(true), sseChunk(': keep-alive\n\n', true)];
    assert.equal(decodeStream(pieces), frame(1) + frame(2) + frame(3) + ': keep-alive\n\n');
    assert.equal(decodeStream(pieces.slice(1)), frame(3) + ': keep-alive\n\n', 'a client that joined later');
  });

  test('gzip shrinks a batch of events of the same shape', () => {
    const b = new SseBatch([
      run(Array.from({ length: 50 }, (_, i) => [i + 1, frame(i + 1) + `: ${'w'.repeat(300)}\n\n`] as const)),
    ]);
    assert.ok(
      b.chunk(true).length * 10 < b.chunk(false).length,
      `${b.chunk(true).length} gzip bytes for ${b.chunk(false).length}`,
    );
  });
});
