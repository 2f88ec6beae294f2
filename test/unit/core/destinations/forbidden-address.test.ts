import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  forbiddenAddressReason,
  isForbiddenAddress,
} from '../../../../src/core/destinations/forbidden-address.js';

describe('isForbiddenAddress (SSRF guard)', () => {
  const forbidden: Array<[string, RegExp]> = [
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['10.0.0.1', /private/],
    ['10.255.255.255', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.254', /carrier-grade NAT/],
    ['127.0.0.1', /loopback/],
    ['127.8.9.10', /loopback/],
    ['169.254.169.254', /metadata/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.0.0.8', /reserved/],
    ['192.168.1.1', /private/],
    ['198.18.0.1', /reserved|benchmarking/],
    ['198.19.255.255', /reserved|benchmarking/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['[::1]', /loopback/],
    ['fc00::1', /unique local/],
    ['fd12:3456:789a::1', /unique local/],
    ['fe80::1', /link-local/],
    ['ff02::1', /multicast/],
    ['::ffff:10.0.0.1', /embeds the IPv4 address 10\.0\.0\.1, a private/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:169.254.169.254', /metadata/],
    ['64:ff9b::a00:1', /embeds the IPv4 address 10\.0\.0\.1/],
    ['64:ff9b::7f00:1', /embeds the IPv4 address 127\.0\.0\.1/],
    ['2002:a00:1::1', /embeds the IPv4 address 10\.0\.0\.1/],
    ['2001:db8::1', /reserved|documentation/],
    ['not-an-ip', /not an IP address/],
    ['', /not an IP address/],
  ];
  for (const [ip, why] of forbidden)
    test(`refuses ${ip || '(empty)'} and says why`, () => {
      assert.equal(isForbiddenAddress(ip), true);
      assert.match(forbiddenAddressReason(ip) ?? '', why);
    });

  for (const ip of [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])
    test(`lets the public address ${ip} through`, () => {
      assert.equal(isForbiddenAddress(ip), false);
      assert.equal(forbiddenAddressReason(ip), null);
    });
});
