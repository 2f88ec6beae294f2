import type { Logger } from './create-logger.js';
import type { CommittedEvent } from '../ports/processing-store.js';

export interface DeliveryLogOptions {
  /** WHARF_LOG_DELIVERIES. */
  readonly enabled: boolean;
  /** Lines per second written at most; above it the rest are counted and reported once a second. */
  readonly maxPerSecond: number;
  readonly now?: () => number;
}

/**
 * The log an operator reads: at `info`, one line per stored delivery (id, size, matched secret) and
 * one per processed delivery with the name, wamid and phone_number_id of each of its new events.
 * Above `maxPerSecond` lines are skipped and counted, so logging never costs a 200 its latency.
 */
export class DeliveryLog {
  private windowStart = 0;
  private written = 0;
  private skipped = 0;
  private readonly now: () => number;

  constructor(
    private readonly logger: Logger,
    private readonly options: DeliveryLogOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Arguments, not an object: nothing is allocated for a line that is not written. */
  stored(
    deliveryId: string,
    bytes: number,
    secretIndex: number,
    duplicate: boolean,
    requestId: string,
  ): void {
    if (!this.admit()) return;
    this.logger.info(
      { deliveryId, bytes, secretIndex, requestId },
      duplicate ? 'delivery received again (stored once)' : 'delivery stored',
    );
  }

  /** Events newly committed by one processing batch, one line per delivery. */
  processed(committed: readonly CommittedEvent[]): void {
    if (!this.options.enabled || committed.length === 0) return;
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
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      if (this.skipped > 0)
        this.logger.info(
          { skipped: this.skipped, maxPerSecond: this.options.maxPerSecond },
          'delivery log lines skipped',
        );
      this.windowStart = now;
      this.written = 0;
      this.skipped = 0;
    }
    if (this.written >= this.options.maxPerSecond) {
      this.skipped++;
      return false;
    }
    this.written++;
    return true;
  }
}
