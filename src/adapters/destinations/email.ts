/**
 * Kind `email`, alerts for people: one e-mail per event over SMTP (nodemailer, pooled
 * connections): a text body written for a person (describeEventForPerson) with the event JSON
 * attached, subject from the `subject` template or the description's title.
 */
import nodemailer from 'nodemailer';
import { describeEventForPerson } from '../../core/describe-event-for-person.js';
import { renderDestinationTemplate } from '../../core/destinations/render-destination-template.js';
import type { DestinationTransport, OutboundMessage } from '../../ports/destination-transport.js';
import { brokerAttempt, urlSecrets } from './broker-attempt.js';

export interface EmailTransportOptions {
  readonly url: string;
  readonly to: string | readonly string[];
  readonly from: string;
  readonly subject?: string;
  readonly timeoutMs: number;
  readonly maxInFlight: number;
  /** WHARF_PUBLIC_URL, for links to the dashboard. */
  readonly publicUrl?: string;
}

/** The mail for one message: readable text first, the exact JSON as an attachment. */
export function emailFor(m: OutboundMessage, subjectTemplate: string | undefined, publicUrl?: string) {
  const d = describeEventForPerson(m.event, publicUrl !== undefined ? { publicUrl } : {});
  const subject = subjectTemplate !== undefined ? renderDestinationTemplate(subjectTemplate, m) : d.title;
  const file = `${m.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
  return {
    subject,
    text: `${d.text}\n\nEvent ${m.name}, key ${m.eventKey}. The event as JSON is attached (${file}).\n`,
    attachments: [{ filename: file, content: m.body, contentType: 'application/json' }],
    headers: { 'X-Wharf-Event': m.name, 'X-Wharf-Event-Key': m.eventKey, 'X-Wharf-Webhook-Id': m.id },
  };
}

export function createEmailTransport(o: EmailTransportOptions): DestinationTransport {
  const transporter = nodemailer.createTransport({
    url: o.url,
    pool: true as const,
    maxConnections: Math.max(1, o.maxInFlight),
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
  });
  const secrets = urlSecrets(o.url);
  const to = typeof o.to === 'string' ? o.to : [...o.to];
  return {
    send(m, signal) {
      return brokerAttempt({ timeoutMs: o.timeoutMs, signal, secrets }, async () => {
        const info = (await transporter.sendMail({
          from: o.from,
          to,
          ...emailFor(m, o.subject, o.publicUrl),
        })) as {
          response?: string;
        };
        return info.response ?? null;
      });
    },
    async close() {
      transporter.close();
    },
  };
}
