/**
 * The DestinationTransport of a database sink (kinds `mysql` and `postgres`): `send` adds the event's
 * row to the batcher, `probe` writes it in a transaction that is rolled back, each one attempt
 * (brokerAttempt) whose driver errors with a code the kind knows are put in plain words.
 */
import { sinkRow, type SinkRow } from '../../core/destinations/sink-row.js';
import type { DestinationTransport, OutboundMessage } from '../../ports/destination-transport.js';
import { brokerAttempt, brokerBatchAttempt } from './broker-attempt.js';
import { SinkBatcher, type SinkWrite } from './sink-batcher.js';
import type { SinkTable } from './sink-table.js';

export interface SinkTransportOptions {
  /** The table as configured (`events`, `schema.events`), as named in the results. */
  readonly table: string;
  readonly timeoutMs: number;
  /** Parts of the url never shown in a result. */
  readonly secrets: readonly string[];
  /** Driver error codes the kind puts in plain words; any other error is shown as it is. */
  readonly codes: Readonly<Record<string, string>>;
  /** `name` of the plain-words error (`MysqlSinkError`, `PostgresSinkError`). */
  readonly errorName: string;
  /** Rows per statement at most (max_in_flight). */
  readonly maxRows: number;
  /** One INSERT of these rows; resolves with the rows it wrote (a repeated event key writes none). */
  readonly insert: (rows: readonly SinkRow[]) => Promise<number>;
  /** The table is gone (dropped since it was checked): it is created again by the next write. */
  readonly isMissingTable: (err: unknown) => boolean;
  readonly isDeadlock: SinkWrite['isDeadlock'];
  readonly isRowError: SinkWrite['isRowError'];
  readonly sinkTable: SinkTable;
  /** Inserts the row in a transaction and rolls it back. */
  readonly writeRolledBack: (row: SinkRow) => Promise<void>;
  /** Ends the pool. */
  readonly close: () => Promise<void>;
}

/** A driver error put in plain words; the driver's own error is its cause. */
export class SinkError extends Error {
  constructor(name: string, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = name;
  }
}

function plain(o: SinkTransportOptions, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && Object.hasOwn(o.codes, code))
    return new SinkError(o.errorName, `${o.codes[code]} (${(err as Error).message})`, { cause: err });
  return err;
}

export function sinkTransport(o: SinkTransportOptions): DestinationTransport {
  const batcher = new SinkBatcher({
    maxRows: o.maxRows,
    parallel: 2,
    write: async (rows) => {
      await o.sinkTable.ready();
      try {
        return await o.insert(rows);
      } catch (err) {
        if (o.isMissingTable(err)) o.sinkTable.forget();
        throw err;
      }
    },
    isDeadlock: o.isDeadlock,
    isRowError: o.isRowError,
  });
  const attempt = (signal: AbortSignal, run: () => Promise<string>) =>
    brokerAttempt({ timeoutMs: o.timeoutMs, signal, secrets: o.secrets }, () =>
      run().catch((err: unknown) => {
        throw plain(o, err);
      }),
    );

  const write = async (m: OutboundMessage) => {
    try {
      const w = await batcher.add(sinkRow(m.event, m.eventId));
      return `${o.table}: ${w.inserted} of ${w.batch} rows written by one statement (a repeated event adds none)`;
    } catch (err) {
      throw plain(o, err);
    }
  };

  return {
    send(m: OutboundMessage, signal: AbortSignal) {
      return attempt(signal, () => write(m));
    },
    /**
     * Many events in one attempt, each its own outcome: the rows join the batcher's statements as
     * single sends do, without an attempt (its timer, abort listener and promises) per row.
     */
    sendBatch(messages: readonly OutboundMessage[], signal: AbortSignal) {
      return brokerBatchAttempt(
        { timeoutMs: o.timeoutMs, signal, secrets: o.secrets },
        messages.length,
        async () => messages.map(write),
      );
    },
    inFlightCounts: 'messages',
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
