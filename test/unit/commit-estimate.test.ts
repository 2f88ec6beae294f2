import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CommitEstimate } from '../../src/app/commit-estimate.js';

describe('CommitEstimate: how long a group commit takes, from the recent ones', () => {
  test('nothing measured yet: 0, so an idle committer admits', () => {
    assert.equal(new CommitEstimate().durationMs(), 0);
  });

  test('the first commit is taken whole; later ones move the estimate by a fifth of their difference', () => {
    const e = new CommitEstimate();
    e.record(10);
    assert.equal(e.durationMs(), 10);
    e.record(60);
    assert.equal(e.durationMs(), 20, '10 + (60 - 10) / 5');
  });
});
