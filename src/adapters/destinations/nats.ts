/**
 * Kind `nats`: a JetStream publish to `subject` with the event key as the message id
 * (`Nats-Msg-Id`), so JetStream stores a retried or replayed event once within the stream's
 * duplicate window. The stream must exist (Wharf never creates infrastructure): e.g.
 * `nats stream add WHARF --subjects 'wharf.>'`; see docs/destinations.md. Without one, the
 * attempt fails saying so.
 */
import { connect, headers, type JetStreamClient, type NatsConnection } from 'nats';
import { renderDestinationTemplate } from '../../core/destinations/render-destination-template.js';
import type { DestinationTransport, OutboundMessage } from '../../ports/destination-transport.js';
import { brokerAttempt, brokerBatchAttempt, urlSecrets } from './broker-attempt.js';

export interface NatsTransportOptions {
  readonly url: string;
  readonly subject: string;
  readonly timeoutMs: number;
}

export function createNatsTransport(o: NatsTransportOptions): DestinationTransport {
  let connection: Promise<NatsConnection> | null = null;
  const secrets = urlSecrets(o.url);
  const encoder = new TextEncoder();
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
  let client: { nc: NatsConnection; js: JetStreamClient } | undefined;
  const publish = async (js: JetStreamClient, m: OutboundMessage): Promise<string> => {
    const subject = renderDestinationTemplate(o.subject, m);
    const h = headers();
    h.set('webhook-id', m.id);
    h.set('wharf-event-name', m.name);
    for (const [k, v] of Object.entries(m.headers)) h.set(k, v);
    try {
      const ack = await js.publish(subject, encoder.encode(m.body), {
        msgID: m.eventKey,
        headers: h,
        timeout: o.timeoutMs,
      });
      return `stream ${ack.stream} seq ${ack.seq}${ack.duplicate ? ' (duplicate: already stored)' : ''}`;
    } catch (err) {
      if ((err as { code?: unknown }).code === '503')
        throw new Error(`no JetStream stream takes the subject ${subject}: create one (nats stream add)`, {
          cause: err,
        });
      throw err;
    }
  };
  const jetstream = async (): Promise<JetStreamClient> => {
    const nc = await open();
    if (client?.nc !== nc) client = { nc, js: nc.jetstream() };
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
