/**
 * Kind `rabbitmq`: a persistent message published on a confirm channel to
 * `exchange` with `routing_key` (template, default `{name}`), message id = event key; the attempt
 * succeeds only once the broker confirms it. Published `mandatory`: a message no queue is bound
 * for is returned by the broker and the attempt fails saying so, instead of vanishing
 * (https://www.rabbitmq.com/docs/publishers#unroutable).
 */
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { renderDestinationTemplate } from '../../core/destinations/render-destination-template.js';
import type { DestinationTransport, OutboundMessage } from '../../ports/destination-transport.js';
import { brokerAttempt, urlSecrets } from './broker-attempt.js';

export interface RabbitmqTransportOptions {
  readonly url: string;
  readonly exchange: string;
  readonly routingKey?: string;
  readonly timeoutMs: number;
}

interface Link {
  readonly model: ChannelModel;
  readonly channel: ConfirmChannel;
  /** webhook ids of messages the broker returned as unroutable, until their confirm arrives. */
  readonly returned: Set<string>;
  /** Why the channel closed (e.g. 404 NOT_FOUND - no exchange), for the attempts it fails. */
  lastError: Error | null;
}

async function openLink(url: string, timeoutMs: number, forget: () => void): Promise<Link> {
  const model = await connect(url, {
    timeout: timeoutMs,
    clientProperties: { connection_name: 'wharf-destination' },
  });
  model.on('error', () => undefined);
  model.on('close', forget);
  const channel = await model.createConfirmChannel();
  const link: Link = { model, channel, returned: new Set(), lastError: null };
  channel.on('error', (err: Error) => {
    link.lastError = err;
  });
  channel.on('close', () => {
    forget();
    model.close().catch(() => undefined);
  });
  channel.on('return', (msg: { properties: { headers?: Record<string, unknown> } }) => {
    const id = msg.properties.headers?.['webhook-id'];
    if (typeof id === 'string') link.returned.add(id);
  });
  return link;
}

function publish(link: Link, exchange: string, routingKey: string, m: OutboundMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    link.channel.publish(
      exchange,
      routingKey,
      Buffer.from(m.body),
      {
        persistent: true,
        mandatory: true,
        messageId: m.eventKey,
        contentType: 'application/json',
        type: m.name,
        headers: { ...m.headers, 'webhook-id': m.id, 'wharf-event-name': m.name },
      },
      (err: unknown) => (err ? reject(link.lastError ?? err) : resolve()),
    );
  });
}

export function createRabbitmqTransport(o: RabbitmqTransportOptions): DestinationTransport {
  let link: Promise<Link> | null = null;
  const forget = () => {
    link = null;
  };
  const secrets = urlSecrets(o.url);
  const open = () => {
    link ??= openLink(o.url, o.timeoutMs, forget).catch((err: unknown) => {
      link = null;
      throw err;
    });
    return link;
  };
  return {
    send(m, signal) {
      return brokerAttempt({ timeoutMs: o.timeoutMs, signal, secrets }, async () => {
        const l = await open();
        const routingKey = renderDestinationTemplate(o.routingKey ?? '{name}', m);
        await publish(l, o.exchange, routingKey, m);
        // The broker sends basic.return before the confirm of the same message.
        if (l.returned.delete(m.id))
          throw new Error(
            `unroutable: no queue is bound to exchange "${o.exchange}" for routing key "${routingKey}" (the broker returned the message)`,
          );
        return `confirmed by the broker (exchange "${o.exchange}", routing key "${routingKey}")`;
      });
    },
    async close() {
      const pending = link;
      link = null;
      if (pending === null) return;
      const l = await pending.catch(() => null);
      await l?.model.close().catch(() => undefined);
    },
  };
}
