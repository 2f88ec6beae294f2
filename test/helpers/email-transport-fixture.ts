/** Conformance fixture for the email kind: an SMTP server started by the test, parsing each mail. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createEmailTransport } from '../../src/adapters/destinations/email.js';
import type { TransportFixture } from '../conformance/destination-transport.conformance.js';

export interface SmtpReceiver {
  readonly url: string;
  readonly mails: ParsedMail[];
  close(): Promise<void>;
}

/** Accepts every recipient except those at refused.example.com (550). */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@refused.example.com'))
        return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function emailFixture(): Promise<TransportFixture> {
  const rx = await startSmtpReceiver();
  const open = (to: string) =>
    createEmailTransport({ url: rx.url, to, from: 'wharf@example.com', timeoutMs: 5000, maxInFlight: 2 });
  return {
    transport: open('ops@example.com'),
    arrived: async () =>
      rx.mails.map((mail) => ({
        body: mail.attachments[0]?.content.toString('utf8') ?? '',
        id: String(mail.headers.get('x-wharf-webhook-id') ?? ''),
        key: String(mail.headers.get('x-wharf-event-key') ?? ''),
      })),
    expectedBody: (m) => m.body,
    carries: { id: true, key: true },
    failing: () => open('nobody@refused.example.com'),
    failureWords: /550.*mailbox unavailable/,
    dispose: () => rx.close(),
  };
}
