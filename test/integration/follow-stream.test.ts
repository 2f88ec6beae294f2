import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { followStream, type StreamEvent } from '../../src/cli/listen/follow-stream.js';
import { WharfApiError } from '../../src/cli/wharf-api.js';

/**
 * The stream follower against a local SSE server that misbehaves on purpose, each connection
 * answered by the next step of a script: what Wharf does across a restart (the stream ends, a
 * 503 while it shuts down, a refused connection) must cost no event and repeat none.
 */
type Step = (req: IncomingMessage, res: ServerResponse) => void;
const frame = (id: number, name: string) =>
  `id: ${id}\nevent: ${name}\ndata: {"id":"${id}","name":"${name}"}\n\n`;

describe('wharf listen: following the stream', () => {
  let server: Server;
  let base: string;
  let script: Step[] = [];
  const seen: (string | undefined)[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      const step = script.shift();
      if (step) step(req, res);
      else res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': idle\n\n');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('after the stream ends and a 503, it resumes with Last-Event-ID of the last event handled; a half-sent frame is not handled', async () => {
    seen.length = 0;
    script = [
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          frame(1, 'message.text') + frame(2, 'status.read') + 'id: 3\nevent: status.sent\ndata: {"id":"3"',
        );
      },
      (_req, res) =>
        res
          .writeHead(503, { 'content-type': 'application/json' })
          .end('{"error":{"message":"Shutting down"}}'),
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(frame(3, 'status.sent') + frame(4, 'status.delivered'));
      },
    ];
    const got: StreamEvent[] = [];
    const states: string[] = [];
    const stop = new AbortController();
    const done = followStream({
      api: { base, token: 't' },
      signal: stop.signal,
      retryMs: 5,
      onState: (s) => states.push(s.kind === 'connected' ? `connected after ${s.after ?? '-'}` : 'lost'),
      onEvent: async (e) => {
        got.push(e);
        if (got.length === 4) stop.abort();
      },
    });
    await done;
    assert.deepEqual(
      got.map((e) => [e.id, e.name]),
      [
        ['1', 'message.text'],
        ['2', 'status.read'],
        ['3', 'status.sent'],
        ['4', 'status.delivered'],
      ],
    );
    assert.deepEqual(seen, [undefined, '2', '2']);
    assert.deepEqual(states, ['connected after -', 'lost', 'connected after 2']);
  });

  test('a first connection answered 503 or 400 stops with what Wharf said', async () => {
    for (const [status, message] of [
      [503, 'Storage unavailable, retry later'],
      [400, 'Last-Event-ID must be the id of an event'],
    ] as const) {
      script = [(_req, res) => res.writeHead(status).end(JSON.stringify({ error: { message } }))];
      await assert.rejects(
        followStream({
          api: { base, token: 't' },
          signal: new AbortController().signal,
          onEvent: async () => undefined,
        }),
        (err) => err instanceof WharfApiError && err.message.includes(`HTTP ${status} ${message}`),
      );
    }
  });
});
