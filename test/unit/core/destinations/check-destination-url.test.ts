import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDestinationUrl,
  type ResolveHost,
} from '../../../../src/core/destinations/check-destination-url.js';
import { WharfError } from '../../../../src/errors.js';

/** A resolver that answers from a table, like DNS would, and records what was asked. */
function table(entries: Record<string, readonly string[]>): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const fn = async (host: string) => {
    asked.push(host);
    const a = entries[host];
    if (a === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return a;
  };
  return Object.assign(fn, { asked });
}

const publicDns = table({ 'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });

async function refused(url: string, why: RegExp, lookup: ResolveHost = publicDns, allowPrivate = false) {
  await assert.rejects(checkDestinationUrl(url, { allowPrivate, lookup }), (err: unknown) => {
    assert.ok(err instanceof WharfError);
    assert.equal(err.code, 'DESTINATION_ADDRESS_FORBIDDEN');
    assert.equal(err.status, 422);
    assert.match(err.message, why);
    return true;
  });
}

describe('checkDestinationUrl (create/change-time SSRF check)', () => {
  test('accepts an https URL whose host resolves only to public addresses', async () => {
    await checkDestinationUrl('https://hooks.example.com/n8n/webhook/abc', {
      allowPrivate: false,
      lookup: publicDns,
    });
  });
  test('refuses http:// and names the setting that allows it', async () => {
    await refused('http://hooks.example.com/x', /must be https:\/\/.*WHARF_DESTINATIONS_ALLOW_PRIVATE=true/);
  });
  test('refuses other schemes even when private addresses are allowed', async () => {
    await refused('ftp://hooks.example.com/x', /must be https:\/\/ \(it is ftp:\/\/\)/, publicDns, true);
    await refused('file:///etc/passwd', /must be https:\/\//, publicDns, true);
  });
  test('refuses a URL that is not a URL', async () => {
    await refused('hooks.example.com/x', /not a valid absolute URL/);
  });
  test('refuses loopback', async () => {
    await refused('https://127.0.0.1/x', /127\.0\.0\.1 is a loopback address/);
    await refused('https://[::1]/x', /::1 is a loopback address/);
  });
  test('refuses 10/8', async () => {
    await refused('https://10.1.2.3/x', /10\.1\.2\.3 is a private network address/);
  });
  test('refuses the cloud metadata address 169.254.169.254', async () => {
    await refused('https://169.254.169.254/latest/meta-data/', /link-local.*metadata/);
  });
  test('refuses an IPv6 unique local address', async () => {
    await refused('https://[fd00::1]/x', /unique local/);
  });
  test('refuses an IPv4 address written as IPv4-mapped IPv6', async () => {
    await refused('https://[::ffff:10.0.0.1]/x', /embeds the IPv4 address 10\.0\.0\.1/);
  });
  test('refuses a hostname resolving to a private address, naming both', async () => {
    const dns = table({ 'internal.example.com': ['93.184.216.34', '10.0.0.7'] });
    await refused(
      'https://internal.example.com/x',
      /internal\.example\.com resolves to 10\.0\.0\.7: .*private/,
      dns,
    );
    assert.deepEqual(dns.asked, ['internal.example.com']);
  });
  test('refuses localhost through what it resolves to', async () => {
    await refused(
      'https://localhost:8443/x',
      /localhost resolves to 127\.0\.0\.1: .*loopback/,
      table({ localhost: ['127.0.0.1'] }),
    );
  });
  test('refuses a hostname that does not resolve, saying so', async () => {
    await refused(
      'https://nowhere.example.com/x',
      /nowhere\.example\.com could not be resolved \(ENOTFOUND\)/,
    );
    await refused(
      'https://empty.example.com/x',
      /resolves to no address/,
      table({ 'empty.example.com': [] }),
    );
  });
  test('allowPrivate=true lets http://127.0.0.1 through without asking DNS', async () => {
    const dns = table({});
    await checkDestinationUrl('http://127.0.0.1:8080/hook', { allowPrivate: true, lookup: dns });
    await checkDestinationUrl('http://receiver.internal/hook', { allowPrivate: true, lookup: dns });
    assert.deepEqual(dns.asked, []);
  });
});
