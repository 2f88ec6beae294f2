import type { Logger } from '../observability/create-logger.js';

/** What a graceful stop needs: the stop itself and where to say what happens. */
export interface Stoppable {
  close(): Promise<void>;
  readonly logger: Logger;
}

/** The process, as far as signals and exiting go (a test passes its own). */
export interface SignalTarget {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On SIGTERM or SIGINT: stop gracefully (no new connections, pending commits acknowledged, in-flight
 * work finished), then exit 0 (1 when the stop failed). Installing a listener takes away Node's
 * default of dying at once, so without this a library user who did not wire close() lost the
 * commits in flight; and the process exits explicitly because the user's own handles (pools,
 * timers) would otherwise keep it running after Wharf has stopped. SIGINT during a SIGTERM stop (or
 * the reverse) waits for the same stop. Returns the function that removes the listeners (close()
 * calls it).
 */
export function stopOnSignals(wharf: Stoppable, target: SignalTarget = process): () => void {
  let stopping = false;
  const listeners = SIGNALS.map((signal) => {
    const listener = () => {
      if (stopping) return;
      stopping = true;
      wharf.logger.info({ signal }, 'shutting down');
      wharf.close().then(
        () => target.exit(0),
        (err: unknown) => {
          wharf.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
          target.exit(1);
        },
      );
    };
    return [signal, listener] as const;
  });
  // `once` for each; a second signal of the same kind then has no listener and Node's default
  // (die at once) applies, which is what a user pressing Ctrl-C twice expects.
  for (const [signal, listener] of listeners) target.once(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) target.off(signal, listener);
  };
}
