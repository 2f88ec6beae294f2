import type { Logger } from './create-logger.js';
import { LineBudget } from './line-budget.js';

/**
 * Warnings about refused requests (bad signatures, storage faults answered 503), at most
 * `perSecond` lines a second: a flood of forged POSTs wrote thousands of lines in seconds. What is
 * left out is counted in a line once a second; the metrics count every refusal anyway.
 */
export class RefusalLog {
  private readonly budget: LineBudget;

  constructor(
    private readonly logger: Logger,
    perSecond = 10,
    now?: () => number,
  ) {
    this.budget = new LineBudget(perSecond, now);
  }

  warn(fields: Record<string, unknown>, message: string): void {
    if (this.admit()) this.logger.warn(fields, message);
  }

  error(fields: Record<string, unknown>, message: string): void {
    if (this.admit()) this.logger.error(fields, message);
  }

  private admit(): boolean {
    return this.budget.admit((skipped) =>
      this.logger.warn({ skipped }, 'refused-request log lines skipped (see wharf_webhook_requests_total)'),
    );
  }
}
