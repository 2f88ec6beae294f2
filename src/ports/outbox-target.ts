/**
 * A hand-off target as the processor sees it: for each new event it writes one outbox row per
 * target that `wants` it, in the same transaction as the event. `id` is stable
 * across restarts so pending rows still find their handler after one (src/app/handler-registry.ts).
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { TargetRule } from '../core/target-rule.js';

export interface OutboxTarget {
  readonly id: string;
  wants(event: AnyWharfEvent): boolean;
  /**
   * The same choice as data (`wants` is wantsOfRule(rule)): what lets a processing thread of the
   * storage decide without calling back into this one. Absent for a handler with a `where` function.
   */
  readonly rule?: TargetRule;
}

export type OutboxTargets = ReadonlyArray<OutboxTarget>;
