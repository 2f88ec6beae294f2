/**
 * Kind `nats`: a JetStream publish to `subject` with the event key as the message id
 * (`Nats-Msg-Id`), so JetStream stores a retried or replayed event once within the stream's
 * duplicate window. The stream must exist (Wharf never creates infrastructure): e.g.
 * `nats stream add WHARF --subjects 'wharf.>'`; see docs/destinations.md. Without one, the
 * attempt fails saying so.
 */
import { connect, type NatsConnection } from 'nats';
import { renderDestinationTemplate } from '../../core/destinations/render-destination-template.js';
import type { DestinationTransport, OutboundMessage } from '../../ports/destination-transport.js';
import { brokerAttempt, brokerBatchSettled, urlSecrets } from './broker-attempt.js';
import { JetStreamPublisher, type JetStreamMessage, type PubAck } from './jetstream-publisher.js';
import { natsHeaderText } from './nats-header-text.js';

export interface NatsTransportOptions {
  readonly url: string;
  readonly subject: string;
  readonly timeoutMs: number;
}

export function createNatsTransport(o: NatsTransportOptions): DestinationTransport {
  let connection: Promise<NatsConnection> | null = null;
  const secrets = urlSecrets(o.url);
  const open = (): Promise<NatsConnection> => {
    connection ??= connect({
      servers: o.url,
      name: 'wharf-destination',
      timeout: o.timeoutMs,
      maxReconnectAttempts: -1,
      // Each publish would otherwise make an Error to capture its stack, the largest single cost of a
      // publish in a profile of bench:forward. Errors still say what failed, without that trace.
      noAsyncTraces: true,
    }).catch((err: unknown) => {
      connection = null; // the next attempt dials again
      throw err;
    });
    return connection;
  };
  let client: { nc: NatsConnection; js: JetStreamPublisher } | undefined;
  /** The message of one event; throws on headers nats.js would refuse (nats-header-text.ts). */
  const message = (m: OutboundMessage): JetStreamMessage => ({
    subject: renderDestinationTemplate(o.subject, m),
    // The format's own headers replace any of these.
    headers: natsHeaderText(
      [
        ['Nats-Msg-Id', m.eventKey],
        ['webhook-id', m.id],
        ['wharf-event-name', m.name],
      ],
      m.headers,
    ),
    body: m.body,
  });
  const jetstream = async (): Promise<JetStreamPublisher> => {
    const nc = await open();
    if (client?.nc !== nc) client = { nc, js: new JetStreamPublisher(nc, o.timeoutMs) };
    return client.js;
  };
  return {
    send(m, signal) {
      return brokerAttempt({ timeoutMs: o.timeoutMs, signal, secrets }, async () =>
        ackText(await (await jetstream()).publish(message(m))),
      );
    },
    /** Every message published at once on the one connection, as one block of frames. */
    sendBatch(messages, signal) {
      return brokerBatchSettled(
        { timeoutMs: o.timeoutMs, signal, secrets },
        messages.length,
        async (settle) => {
          const js = await jetstream();
          const batch: JetStreamMessage[] = [];
          const index: number[] = []; // each published message's place in `messages`
          for (let i = 0; i < messages.length; i++) {
            try {
              batch.push(message(messages[i] as OutboundMessage));
              index.push(i);
            } catch (err) {
              settle.failed(i, err); // this message alone
            }
          }
          await js.publishBatch(batch, (i, ack, err) => {
            const at = index[i] as number;
            if (ack) settle.ok(at, ackText(ack));
            else settle.failed(at, err);
          });
        },
      );
    },
    async close() {
      const pending = connection;
      connection = null;
      client = undefined;
      if (pending === null) return;
      const nc = await pending.catch(() => null);
      await nc?.close();
    },
  };
}

/** What the attempt log keeps of a PubAck. */
function ackText(ack: PubAck): string {
  return `stream ${ack.stream} seq ${ack.seq}${ack.duplicate ? ' (duplicate: already stored)' : ''}`;
}
