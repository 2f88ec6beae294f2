import type { WharfConfig } from '../config/load-config.js';

/** Which parts of Wharf run in one process. */
export interface RoleParts {
  /**
   * Meant to take the webhook traffic (behind the load balancer). Every process still serves the
   * webhook route, so a delivery misrouted to a worker is stored and acknowledged, never refused.
   */
  readonly ingress: boolean;
  /** Claims inbox batches and turns them into events, state and outbox rows. */
  readonly processor: boolean;
  /** Hands outbox rows to handlers and destinations, with retries and dead letters. */
  readonly dispatcher: boolean;
}

/**
 * `wharf start --role`: on PostgreSQL any number of ingress processes (behind a load balancer) and
 * worker processes share one database. An ingress process must not process: its CPU belongs to the
 * acknowledgement path, and workers scale separately (docs/operations.md, "Scale-out on PostgreSQL").
 */
export function roleParts(role: WharfConfig['role']): RoleParts {
  switch (role) {
    case 'ingress':
      return { ingress: true, processor: false, dispatcher: false };
    case 'worker':
      return { ingress: false, processor: true, dispatcher: true };
    case 'all':
      return { ingress: true, processor: true, dispatcher: true };
  }
}
