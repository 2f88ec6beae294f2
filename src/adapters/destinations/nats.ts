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
import { brokerAttempt, brokerBatchAttempt, urlSecrets } from './broker-attempt.js';
import { JetStreamPublisher } from './jetstream-publisher.js';
import { natsHeaders } from './nats-headers.js';

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
  const publish = async (js: JetStreamPublisher, m: OutboundMessage): Promise<string> => {
    const subject = renderDestinationTemplate(o.subject, m);
    // One header block, encoded here (nats-headers.ts); the format's own headers replace any of these.
    const h = natsHeaders(
      [
        ['Nats-Msg-Id', m.eventKey],
        ['webhook-id', m.id],
        ['wharf-event-name', m.name],
      ],
      m.headers,
    );
    // Buffer.from takes a small body from a shared pool; TextEncoder made an ArrayBuffer per body.
    const ack = await js.publish(subject, Buffer.from(m.body), h);
    return `stream ${ack.stream} seq ${ack.seq}${ack.duplicate ? ' (duplicate: already stored)' : ''}`;
  };
  const jetstream = async (): Promise<JetStreamPublisher> => {
    const nc = await open();
    if (client?.nc !== nc) client = { nc, js: new JetStreamPublisher(nc, o.timeoutMs) };
    return client.js;
  };
  return {
    send(m, signal) {
      return brokerAttempt({ timeoutMs: o.timeoutMs, signal, secrets }, async () =>
        publish(await jetstream(), m),
      );
    },
    /** Every message published at once on the one connection; one wait for all their acks. */
    sendBatch(messages, signal) {
      return brokerBatchAttempt({ timeoutMs: o.timeoutMs, signal, secrets }, messages.length, async () => {
        const js = await jetstream();
        return messages.map((m) => publish(js, m));
      });
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
