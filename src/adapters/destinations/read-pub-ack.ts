/**
 * A JetStream PubAck (https://docs.nats.io/reference/reference-protocols/nats_api_reference) read
 * from the text the server answered a publish with. nats-server writes a stored message's ack as
 * `{"stream":"<name>", "seq":<n>}`, a duplicate's with `,"duplicate": true` before the `}` (the
 * spacing varies between versions): that form, without escapes or control characters in the name, is read by one regular
 * expression, which gives what JSON.parse would. Anything else — an error (`{"error":{…},…}`), a
 * `domain`, an escaped name, another spelling — goes through JSON.parse as every ack did before.
 */
export interface PubAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

const PLAIN_ACK = /^\{"stream":"([^"\\\p{Cc}]+)", ?"seq":(\d+)(, ?"duplicate": ?true)?\}$/u;

/** The PubAck in `text`, or the error it stands for (JetStream's own, or an answer that is none). */
export function readPubAck(text: string): PubAck | Error {
  const plain = PLAIN_ACK.exec(text);
  if (plain !== null)
    return { stream: plain[1] as string, seq: Number(plain[2]), duplicate: plain[3] !== undefined };
  try {
    const ack = JSON.parse(text) as {
      stream?: string;
      seq?: number;
      duplicate?: boolean;
      error?: { code?: number; err_code?: number; description?: string };
    };
    if (ack.error) {
      const code = ack.error.err_code ?? ack.error.code;
      return new Error(`JetStream refused the message: ${ack.error.description} (${code})`);
    }
    if (!ack.stream) return new Error('JetStream answered without a stream (invalid ack)');
    return { stream: ack.stream, seq: Number(ack.seq), duplicate: ack.duplicate === true };
  } catch (e) {
    return new Error(`JetStream answered something that is not a PubAck: ${String(e)}`);
  }
}
