import type { Logger } from './create-logger.js';
import { LineBudget } from './line-budget.js';
import type { CommittedEvent } from '../ports/processing-store.js';

export interface DeliveryLogOptions {
  /** WHARF_LOG_DELIVERIES. */
  readonly enabled: boolean;
  /** Lines per second written at most; above it the rest are counted and reported once a second. */
  readonly maxPerSecond: number;
  readonly now?: () => number;
}

/**
 * The log an operator reads: at `info`, one line per stored delivery (id, size, matched secret, body hash) and
 * one per processed delivery with the name, wamid and phone_number_id of each of its new events.
 * Above `maxPerSecond` lines are skipped and counted, so logging never costs a 200 its latency.
 */
export class DeliveryLog {
  private readonly budget: LineBudget;

  constructor(
    private readonly logger: Logger,
    private readonly options: DeliveryLogOptions,
  ) {
    this.budget = new LineBudget(options.maxPerSecond, options.now);
  }

  /** Arguments, not an object: nothing is allocated for a line that is not written. */
  stored(
    deliveryId: string,
    bytes: number,
    secretIndex: number,
    duplicate: boolean,
    requestId: string,
    bodyHash: string,
  ): void {
    if (!this.admit()) return;
    this.logger.info(
      { deliveryId, bytes, secretIndex, requestId, bodyHash },
      duplicate ? 'delivery received again (stored once)' : 'delivery stored',
    );
  }

  /**
   * Events newly committed by one processing batch, one line per delivery. The outcome, not its
   * events: a batch run in the storage's thread parses them only when read (CommitOutcome).
   */
  processed(outcome: { readonly committed: readonly CommittedEvent[] }): void {
    // Below `info` no line (nor the skipped count) is written: the events are not read at all.
    if (!this.options.enabled || !this.logger.isLevelEnabled('info')) return;
    const committed = outcome.committed;
    if (committed.length === 0) return;
    const byDelivery = new Map<string, Array<{ name: string; wamid?: string; phone_number_id?: string }>>();
    for (const { deliveryId, event } of committed) {
      let events = byDelivery.get(deliveryId);
      if (!events) byDelivery.set(deliveryId, (events = []));
      events.push({
        name: event.name,
        ...(event.wamid === undefined ? {} : { wamid: event.wamid }),
        ...(event.phoneNumberId === undefined ? {} : { phone_number_id: event.phoneNumberId }),
      });
    }
    for (const [deliveryId, events] of byDelivery)
      if (this.admit()) this.logger.info({ deliveryId, events }, 'delivery processed');
  }

  private admit(): boolean {
    if (!this.options.enabled) return false;
    return this.budget.admit((skipped) =>
      this.logger.info({ skipped, maxPerSecond: this.budget.perSecond }, 'delivery log lines skipped'),
    );
  }
}
