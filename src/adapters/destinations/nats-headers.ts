/**
 * A NATS message's header block (`NATS/1.0`, then one `Name: value` line each, then an empty line),
 * encoded once per message as the bytes nats.js's own MsgHdrs would encode: the client only asks
 * its headers for encode() when it publishes. A MsgHdrs built with headers() and append() looked up
 * and canonicalized every name, kept a Map of arrays and built the text line by line: about a
 * sixteenth of the main thread's time per delivered event in a profile of a nats drain
 * (docs/benchmarks.md, "CPU per delivered event"). test/unit/destinations/nats-headers.test.ts
 * holds the bytes equal to nats.js's.
 */
/** RFC 822 field names: printable ASCII but the colon (what nats.js accepts). */
const NAME = /^[!-9;-~]+$/;
const LINE_BREAK = /[\r\n]/;

/**
 * Headers as nats.js's publish uses them: it calls encode() and nothing else (nats 2.29,
 * nats-base-client/protocol.js); broker-transports.test.ts reads them back from a real server.
 */
export interface EncodedHeaders {
  encode(): Uint8Array;
}

/**
 * The block of `fixed` (appended in order), then `set` (each replacing an earlier header of exactly
 * its name, as MsgHdrs.set does). Throws, as nats.js does, on a name that is not a field name or a
 * value holding a line break; values are trimmed.
 */
export function natsHeaders(
  fixed: ReadonlyArray<readonly [string, string]>,
  set: Readonly<Record<string, string>>,
): EncodedHeaders {
  let lines: Array<readonly [string, string]> = [...fixed];
  for (const name in set) {
    lines = lines.filter(([n]) => n !== name);
    lines.push([name, set[name] as string]);
  }
  let text = 'NATS/1.0';
  for (const [name, value] of lines) {
    if (!NAME.test(name)) throw new Error(`invalid NATS header name: ${JSON.stringify(name)}`);
    if (LINE_BREAK.test(value)) throw new Error('invalid header value - \\r and \\n are not allowed.');
    text += `\r\n${name}: ${value.trim()}`;
  }
  const bytes = Buffer.from(`${text}\r\n\r\n`);
  return { encode: () => bytes };
}
