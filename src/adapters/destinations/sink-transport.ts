/**
 * The DestinationTransport of a database sink (kinds `mysql` and `postgres`): `send` adds the event's
 * row to the batcher, `probe` writes it in a transaction that is rolled back, each one attempt
 * (brokerAttempt) whose driver errors are put in plain words by the kind's `plain`.
 */
import { sinkRow, type SinkRow } from '../../core/destinations/sink-row.js';
import type { DestinationTransport, OutboundMessage } from '../../ports/destination-transport.js';
import { brokerAttempt } from './broker-attempt.js';
import type { SinkBatcher } from './sink-batcher.js';
import type { SinkTable } from './sink-table.js';

export interface SinkTransportOptions {
  /** The table as configured (`events`, `schema.events`), as named in the results. */
  readonly table: string;
  readonly timeoutMs: number;
  /** Parts of the url never shown in a result. */
  readonly secrets: readonly string[];
  /** A driver error in plain words (or as it is). */
  readonly plain: (err: unknown) => unknown;
  readonly batcher: SinkBatcher;
  readonly sinkTable: SinkTable;
  /** Inserts the row in a transaction and rolls it back. */
  readonly writeRolledBack: (row: SinkRow) => Promise<void>;
  /** Ends the pool. */
  readonly close: () => Promise<void>;
}

export function sinkTransport(o: SinkTransportOptions): DestinationTransport {
  const attempt = (signal: AbortSignal, run: () => Promise<string>) =>
    brokerAttempt({ timeoutMs: o.timeoutMs, signal, secrets: o.secrets }, () =>
      run().catch((err: unknown) => {
        throw o.plain(err);
      }),
    );

  return {
    send(m: OutboundMessage, signal: AbortSignal) {
      return attempt(signal, async () => {
        const w = await o.batcher.add(sinkRow(m.event, m.eventId));
        return `${o.table}: ${w.inserted} of ${w.batch} rows written by one statement (a repeated event adds none)`;
      });
    },
    probe(m: OutboundMessage, signal: AbortSignal) {
      return attempt(signal, async () => {
        await o.sinkTable.ready();
        await o.writeRolledBack(sinkRow(m.event, m.eventId));
        return `${o.table}: the sample event could be written (rolled back: a test leaves no row)`;
      });
    },
    close: o.close,
  };
}
