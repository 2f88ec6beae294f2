import { createScenarioContext } from './scenarios/context.js';
import { statusBatch } from './scenarios/status-batch.js';
import type { Delivery, Scenario } from './scenarios/types.js';

export interface LoadBodiesOptions {
  readonly seed: number;
  /** Unix seconds. */
  readonly now: number;
  /** Cycle through this scenario's deliveries (rebuilt with fresh ids each round); default a status batch. */
  readonly scenario?: Scenario;
}

/** Pure given its options: the body of the i-th load request. */
export function createLoadBodies(options: LoadBodiesOptions): (index: number) => Delivery {
  const ctx = createScenarioContext({
    seed: options.seed,
    now: options.now,
    scenario: options.scenario?.name ?? 'load',
  });
  const { scenario } = options;
  if (scenario === undefined) return (index) => statusBatch(ctx, Math.floor(index / 100));
  let queue: Delivery[] = [];
  return () => {
    while (queue.length === 0) {
      queue = scenario.build(ctx).steps.flatMap((s) => (s.kind === 'delivery' ? [s.body] : []));
      if (queue.length === 0) throw new Error(`Scenario ${scenario.name} has no deliveries to send`);
    }
    return queue.shift() as Delivery;
  };
}
