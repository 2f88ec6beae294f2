import type { Answer } from './ingest-delivery.js';

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** What node:http writes for a request it cannot parse; the fast path answers a truncated request the same way. */
export const BAD_REQUEST_BYTES = Buffer.from(
  'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n',
  'latin1',
);
export const REQUEST_TIMEOUT_BYTES = Buffer.from(
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
  'latin1',
);

/**
 * Turns answers into HTTP/1.1 bytes for one fast-path instance. The keep-alive 200 is the answer
 * to nearly every request, and under overload the shed 503 (one object, ingest-delivery.ts), so the
 * bytes of a keep-alive answer are built once per second (its Date) per answer object and reused; the
 * caches belong to the instance, so two servers in one process never share them.
 */
export class AnswerBytes {
  private dateText = '';
  private dateAt = 0;
  private readonly built = new WeakMap<Answer, { date: string; bytes: Buffer }>();

  serialize(answer: Answer, close: boolean): Buffer {
    if (close) return this.build(answer, close);
    const date = this.date();
    const cached = this.built.get(answer);
    if (cached?.date === date) return cached.bytes;
    const bytes = this.build(answer, false);
    this.built.set(answer, { date, bytes });
    return bytes;
  }

  private date(): string {
    const now = Date.now();
    if (now - this.dateAt >= 1000) {
      this.dateAt = now - (now % 1000);
      this.dateText = new Date(this.dateAt).toUTCString();
    }
    return this.dateText;
  }

  private build(answer: Answer, close: boolean): Buffer {
    let head = `HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? 'Status'}\r\nDate: ${this.date()}\r\n`;
    for (const [k, v] of Object.entries(answer.headers)) if (k !== 'connection') head += `${k}: ${v}\r\n`;
    head += `Content-Length: ${answer.body.length}\r\n`;
    head += close ? 'Connection: close\r\n\r\n' : 'Connection: keep-alive\r\nKeep-Alive: timeout=65\r\n\r\n';
    return Buffer.concat([Buffer.from(head, 'latin1'), answer.body]);
  }
}
