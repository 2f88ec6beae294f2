/**
 * The checkpointer thread's choice per tick: no checkpoint for a small WAL file, PASSIVE otherwise,
 * and a rewind (which holds the writers for the last frames) only while the frames in use pass the threshold — never
 * because the file, which keeps the largest size it ever reached, is large.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointMode } from '../../src/adapters/sqlite/checkpoint-mode.js';

const MB = 1024 * 1024;
const t = { walBytes: 8 * MB, rewindBytes: 512 * MB };
const frames = (bytes: number) => bytes / 4096;

test('a WAL file under its threshold is not checkpointed', () => {
  assert.equal(checkpointMode(4 * MB, 0, 4096, t), 'none');
});

test('a WAL file past its threshold gets a PASSIVE checkpoint, which never holds a writer', () => {
  assert.equal(checkpointMode(64 * MB, frames(60 * MB), 4096, t), 'PASSIVE');
});

test('frames in use past the rewind threshold make the WAL start again', () => {
  assert.equal(checkpointMode(600 * MB, frames(520 * MB), 4096, t), 'REWIND');
});

test('a WAL file that once grew past the rewind threshold and was rewound gets PASSIVE checkpoints again', () => {
  // The file stays at 513 MB after the rewind; the log holds a few thousand frames. Decided by the
  // file's size, every tick held the writers (five a second; 10 – 860 ms each with the RESTART checkpoint used then).
  assert.equal(checkpointMode(513 * MB, 2302, 4096, t), 'PASSIVE');
  assert.equal(checkpointMode(513 * MB, 0, 4096, t), 'PASSIVE');
});

test('the frames are counted in pages of the database’s own size', () => {
  assert.equal(checkpointMode(600 * MB, frames(300 * MB), 8192, t), 'REWIND');
  assert.equal(checkpointMode(600 * MB, frames(300 * MB), 4096, t), 'PASSIVE');
});
