/**
 * A processing batch's committed events as they cross from the processing thread to the main
 * thread (processing-writer-worker.ts → threaded-processing-store.ts): one JSON array of the events
 * without their `raw` item, and each event's `raw` as its own JSON text beside it. The main thread
 * parses the array only when something reads the events, and leaves each `raw` text until read
 * (raw-text.ts): the live stream's frame splices that text in as it is (eventJsonText), so a
 * committed event's item is serialized once, in the processing thread, and neither parsed nor
 * serialized again on the main thread (docs/benchmarks.md, "Live streams and ingest"). The
 * metrics and the delivery log read names and ids only.
 */
import type { CommittedEvent } from '../../ports/processing-store.js';
import { withRawText } from '../../events/raw-text.js';

/** The committed events' JSON (CommittedEvent[], each event without `raw`) and each one's `raw` as JSON text. */
export interface CommittedText {
  readonly events: string;
  readonly raws: readonly string[];
}

/** Made in the processing thread, from the events it committed (in id order). */
export function committedJson(committed: readonly CommittedEvent[]): CommittedText {
  const raws: string[] = [];
  const events = JSON.stringify(
    committed.map((c) => {
      // An absent item reads back as null (eventAsRead), the text of which is 'null'.
      raws.push(JSON.stringify(c.event.raw ?? null));
      return { ...c, event: { ...c.event, raw: undefined } };
    }),
  );
  return { events, raws };
}

/** The committed events again, each `raw` parsed from its text only when read. */
export function parseCommitted(text: CommittedText): CommittedEvent[] {
  const committed = JSON.parse(text.events) as CommittedEvent[];
  committed.forEach((c, i) => withRawText(c.event, text.raws[i] ?? 'null'));
  return committed;
}
