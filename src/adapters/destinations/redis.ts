/**
 * Kind `redis`: `XADD <stream> [MAXLEN ~ n] * id <webhook id> key <event key>
 * name <event name> body <json>` with ioredis. The stream name may hold {name} and
 * {phone_number_id}; consumers read it with XREAD or a consumer group (docs/destinations.md).
 */
import { Redis } from 'ioredis';
import { renderDestinationTemplate } from '../../core/destinations/render-destination-template.js';
import type { DestinationTransport } from '../../ports/destination-transport.js';
import { brokerAttempt, urlSecrets } from './broker-attempt.js';

export interface RedisTransportOptions {
  readonly url: string;
  readonly stream: string;
  /** Trim the stream to about this many entries (MAXLEN ~), or keep all. */
  readonly maxLen?: number;
  readonly timeoutMs: number;
}

export function createRedisTransport(o: RedisTransportOptions): DestinationTransport {
  const client = new Redis(o.url, {
    lazyConnect: true,
    connectionName: 'wharf-destination',
    connectTimeout: o.timeoutMs,
    // Fail a command after one reconnect try instead of queueing it for ever; the outbox retries.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  // A connection error surfaces on the command that needed the connection, in place of ioredis's
  // own "max retries per request" message, which does not say what is wrong.
  let connectionError: Error | null = null;
  client.on('error', (err: Error) => {
    connectionError = err;
  });
  client.on('ready', () => {
    connectionError = null;
  });
  const xadd = (...args: Parameters<typeof client.xadd>) =>
    client.xadd(...args).catch((err: unknown) => {
      throw (err as Error).name === 'MaxRetriesPerRequestError' && connectionError ? connectionError : err;
    });
  const secrets = urlSecrets(o.url);
  return {
    send(m, signal) {
      return brokerAttempt({ timeoutMs: o.timeoutMs, signal, secrets }, async () => {
        const stream = renderDestinationTemplate(o.stream, m);
        const trim = o.maxLen !== undefined ? ['MAXLEN', '~', String(o.maxLen)] : [];
        const entry = await xadd(
          stream,
          ...trim,
          '*',
          'id',
          m.id,
          'key',
          m.eventKey,
          'name',
          m.name,
          'body',
          m.body,
        );
        return `${stream} ${entry ?? ''}`.trim();
      });
    },
    async close() {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
