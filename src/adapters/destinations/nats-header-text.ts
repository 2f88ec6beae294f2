/**
 * A NATS message's header block (`NATS/1.0`, then one `Name: value` line each, then an empty line),
 * written once per message as the text of the bytes nats.js's own MsgHdrs would encode. A MsgHdrs
 * built with headers() and append() looked up and canonicalized every name, kept a Map of arrays
 * and built the text line by line: about a
 * sixteenth of the main thread's time per delivered event in a profile of a nats drain
 * (docs/benchmarks.md, "CPU per delivered event"). test/unit/destinations/nats-header-text.test.ts
 * holds the bytes equal to nats.js's; broker-transports.test.ts reads them back from a real server.
 */
/** RFC 822 field names: printable ASCII but the colon (what nats.js accepts). */
const NAME = /^[!-9;-~]+$/;
const LINE_BREAK = /[\r\n]/;

/**
 * The block of `fixed` (appended in order), then `set` (each replacing an earlier header of exactly
 * its name, as MsgHdrs.set does), as text (JetStreamPublisher writes it into its frames). Throws, as
 * nats.js does, on a name that is not a field name or a value holding a line break; values are trimmed.
 */
export function natsHeaderText(
  fixed: ReadonlyArray<readonly [string, string]>,
  set: Readonly<Record<string, string>>,
): string {
  let lines = fixed;
  for (const name in set) lines = [...lines.filter(([n]) => n !== name), [name, set[name] as string]];
  let text = 'NATS/1.0';
  for (const [name, value] of lines) {
    if (!NAME.test(name)) throw new Error(`invalid NATS header name: ${JSON.stringify(name)}`);
    if (LINE_BREAK.test(value)) throw new Error('invalid header value - \\r and \\n are not allowed.');
    text += `\r\n${name}: ${value.trim()}`;
  }
  return `${text}\r\n\r\n`;
}
