import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureFailureLimiter } from '../../src/api/signature-failure-limiter.js';
import { SourcePolicy } from '../../src/api/source-policy.js';
import { parseCidr } from '../../src/core/parse-cidr.js';

describe('SignatureFailureLimiter (token bucket per source for failed signatures)', () => {
  test('a source may fail `burst` times, then waits for tokens to come back at the set rate', () => {
    let t = 0;
    const limiter = new SignatureFailureLimiter(3, 2, () => t);
    for (let i = 0; i < 3; i++) {
      assert.equal(limiter.retryAfterSeconds('a'), 0);
      limiter.failed('a');
    }
    assert.equal(limiter.retryAfterSeconds('a'), 1);
    t = 499;
    assert.equal(limiter.retryAfterSeconds('a'), 1);
    t = 500;
    assert.equal(limiter.retryAfterSeconds('a'), 0, 'one token back after 1/rate seconds');
  });
  test('another source, and a source that never failed, are not limited', () => {
    const limiter = new SignatureFailureLimiter(1, 1, () => 0);
    limiter.failed('a');
    assert.equal(limiter.retryAfterSeconds('a'), 1);
    assert.equal(limiter.retryAfterSeconds('b'), 0);
  });
});

describe('SourcePolicy and parseCidr', () => {
  const refuse = () => ({ status: 403, headers: {}, body: Buffer.alloc(0) });
  test('parseCidr takes addresses and ranges of both families and refuses anything else', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseCidr('2a03:2880::/32'), { address: '2a03:2880::', prefix: 32, family: 'ipv6' });
    assert.deepEqual(parseCidr(' 1.2.3.4 '), { address: '1.2.3.4', prefix: 32, family: 'ipv4' });
    for (const bad of ['10.0.0.0/33', 'example.com', '1.2.3.4/8/1', '1.2.3.4/x', '::1/129', ''])
      assert.equal(parseCidr(bad), null, bad);
  });
  test('an IPv4 range also admits the same address written IPv4-mapped (a dual-stack listener)', () => {
    const policy = new SourcePolicy({ allowedCidrs: ['31.13.24.0/21'], trustedProxies: [] }, refuse);
    assert.equal(policy.admit('::ffff:31.13.24.9', undefined), '::ffff:31.13.24.9');
    assert.notEqual(typeof policy.admit('31.13.32.1', undefined), 'string');
  });
  test('without proxies X-Forwarded-For is ignored; behind them every hop is a proxy, the left-most is the client', () => {
    const open = new SourcePolicy({ allowedCidrs: [], trustedProxies: [] }, refuse);
    assert.equal(open.admit('192.0.2.1', '198.51.100.1'), '192.0.2.1');
    const proxied = new SourcePolicy({ allowedCidrs: [], trustedProxies: ['10.0.0.0/8'] }, refuse);
    assert.equal(proxied.admit('10.0.0.1', '198.51.100.1, 10.0.0.2'), '198.51.100.1');
    assert.equal(proxied.admit('10.0.0.1', '10.0.0.3, 10.0.0.2'), '10.0.0.3');
  });
});
