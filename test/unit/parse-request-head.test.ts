import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestHead } from '../../src/api/parse-request-head.js';

const P = '/webhooks/whatsapp';
const head = (...lines: string[]) => lines.join('\r\n');

describe('parseRequestHead (fast path for webhook POSTs)', () => {
  test('takes a plain POST with Content-Length and the signature', () => {
    assert.deepEqual(
      parseRequestHead(
        head(`POST ${P} HTTP/1.1`, 'Host: x', 'Content-Length: 12', 'X-Hub-Signature-256: sha256=ab'),
        P,
      ),
      { contentLength: 12, signature: 'sha256=ab', close: false, forwardedFor: undefined },
    );
  });
  test('header names are case-insensitive and a query string is allowed', () => {
    const r = parseRequestHead(
      head(`POST ${P}?a=1 HTTP/1.1`, 'HOST: x', 'content-LENGTH:3', 'x-hub-signature-256:  s '),
      P,
    );
    assert.deepEqual(r, { contentLength: 3, signature: 's', close: false, forwardedFor: undefined });
  });
  test('takes the webhook path with a trailing slash, with or without a query string', () => {
    for (const target of [`${P}/`, `${P}/?a=1`])
      assert.deepEqual(parseRequestHead(head(`POST ${target} HTTP/1.1`, 'Host: x', 'Content-Length: 1'), P), {
        contentLength: 1,
        signature: undefined,
        close: false,
        forwardedFor: undefined,
      });
    assert.equal(parseRequestHead(head(`POST ${P}// HTTP/1.1`, 'Host: x', 'Content-Length: 1'), P), null);
  });
  test('notes Connection: close', () => {
    assert.equal(
      parseRequestHead(head(`POST ${P} HTTP/1.1`, 'Host: x', 'Content-Length: 0', 'Connection: close'), P)
        ?.close,
      true,
    );
  });
  test("passes over headers it does not read, whatever their names' length or case", () => {
    const r = parseRequestHead(
      head(
        `POST ${P} HTTP/1.1`,
        "X-!#$%&'*+.^_`|~: 1",
        'Content-Type: application/json',
        'Host: x',
        'HoSt-Name: not the host',
        'Content-Length: 7',
        'X-Hub-Signature-256-Old: sha256=00',
        'X-Hub-Signature-256: sha256=ab',
        'A: b',
      ),
      P,
    );
    assert.deepEqual(r, { contentLength: 7, signature: 'sha256=ab', close: false, forwardedFor: undefined });
  });
  test('joins several X-Forwarded-For lines into one list, as node:http does', () => {
    const r = parseRequestHead(
      head(
        `POST ${P} HTTP/1.1`,
        'Host: x',
        'X-Forwarded-For: 1.1.1.1',
        'Content-Length: 0',
        'x-forwarded-for: 2.2.2.2',
      ),
      P,
    );
    assert.equal(r?.forwardedFor, '1.1.1.1, 2.2.2.2');
  });
  const handedOver: Array<[string, string]> = [
    ['no Host (node:http answers 400)', head(`POST ${P} HTTP/1.1`, 'Content-Length: 0')],
    ['two Host headers', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Host: b', 'Content-Length: 0')],
    ['a target with a space', head(`POST ${P} x HTTP/1.1`, 'Host: a', 'Content-Length: 0')],
    ['a target with a fragment', head(`POST ${P}#x HTTP/1.1`, 'Host: a', 'Content-Length: 0')],
    ['a space before HTTP/1.1', head(`POST ${P}  HTTP/1.1`, 'Host: a', 'Content-Length: 0')],
    [
      'more header lines than the fast path reads',
      head(
        `POST ${P} HTTP/1.1`,
        'Host: a',
        'Content-Length: 0',
        ...Array.from({ length: 64 }, (_, i) => `X-${i}: 1`),
      ),
    ],
    ['another method', head(`GET ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 0')],
    ['another path', head('POST /other HTTP/1.1', 'Host: a', 'Content-Length: 0')],
    ['a longer path', head(`POST ${P}/x HTTP/1.1`, 'Host: a', 'Content-Length: 0')],
    ['HTTP/1.0', head(`POST ${P} HTTP/1.0`, 'Host: a', 'Content-Length: 0')],
    ['chunked bodies', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Transfer-Encoding: chunked')],
    [
      'Content-Length with Transfer-Encoding (smuggling)',
      head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5', 'Transfer-Encoding: chunked'),
    ],
    [
      'two Content-Length headers',
      head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5', 'Content-Length: 6'),
    ],
    ['a non-numeric Content-Length', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5x')],
    ['a negative Content-Length', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: -1')],
    ['no Content-Length', head(`POST ${P} HTTP/1.1`, 'Host: x')],
    [
      'Expect: 100-continue',
      head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5', 'Expect: 100-continue'),
    ],
    [
      'folded header lines',
      head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5', 'X-A: 1', ' continued'),
    ],
    ['a line without a colon', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5', 'garbage')],
    ['a space before the colon', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length : 5')],
    // Every header name is checked to be a token, also one the fast path passes over.
    ['an empty header name', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5', ': 1')],
    ...['X@A', 'X A', '"X"', 'X(A)', 'X/A', 'X=A', 'X,A', 'X;A', 'X{A}', 'X\tA'].map(
      (name): [string, string] => [
        `a header name that is not a token (${JSON.stringify(name)})`,
        head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 5', `${name}: 1`),
      ],
    ),
    [
      'two signature headers',
      head(
        `POST ${P} HTTP/1.1`,
        'Host: a',
        'Content-Length: 5',
        'X-Hub-Signature-256: a',
        'X-Hub-Signature-256: b',
      ),
    ],
    ['Upgrade', head(`POST ${P} HTTP/1.1`, 'Host: a', 'Content-Length: 0', 'Upgrade: websocket')],
  ];
  for (const [what, h] of handedOver)
    test(`hands ${what} to node:http`, () => assert.equal(parseRequestHead(h, P), null));
});
