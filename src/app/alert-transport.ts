/**
 * Kinds `slack` and `email` as alerts (docs/actions.md): an event that may be an alert (template,
 * number quality, account) is sent only when alertFor says a person must act — unless the destination
 * sets `all_updates` — and the same alert key goes out at most once per `dedupe_minutes` (default 60)
 * per destination, across processes (ActionStore). A send that fails gives its key back, so the retry
 * or the next event with that key is not held back. Other events pass through unchanged.
 */
import type { Destination } from '../core/destinations/destination.js';
import { ALERT_EVENT_NAMES, alertFor } from '../core/actions/alert-for.js';
import { ALERT_DEDUPE_DEFAULT_MINUTES } from '../core/actions/alert-defaults.js';
import type { ActionStore } from '../ports/action-store.js';
import type { DestinationTransport } from '../ports/destination-transport.js';
import { done, failed } from './local-results.js';

export interface AlertTransportDeps {
  readonly destination: Destination;
  readonly inner: DestinationTransport;
  readonly actions: ActionStore;
  readonly now: () => number;
}

export function createAlertTransport(deps: AlertTransportDeps): DestinationTransport {
  const d = deps.destination;
  const allUpdates = d.settings['all_updates'] === true;
  const minutes =
    typeof d.settings['dedupe_minutes'] === 'number'
      ? d.settings['dedupe_minutes']
      : ALERT_DEDUPE_DEFAULT_MINUTES;
  const windowMs = minutes * 60_000;
  return {
    async send(m, signal) {
      const alert = alertFor(m.event);
      if (alert === null) {
        if (!allUpdates && ALERT_EVENT_NAMES.has(m.name))
          return done(`not sent: this ${m.name} needs no one (set all_updates to get every update)`);
        return deps.inner.send(m, signal);
      }
      if (windowMs === 0) return deps.inner.send(m, signal);
      const base = { destinationId: d.id, key: alert.key, eventKey: m.eventKey };
      let claim;
      try {
        claim = await deps.actions.claimAlert({ ...base, now: deps.now(), windowMs });
      } catch (err) {
        return failed(
          `alert de-duplication could not be read: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (!claim.claimed)
        return done(
          `not sent: the same alert (${alert.key}) went out at ${new Date(claim.sentAt).toISOString()} (dedupe_minutes ${minutes})`,
        );
      const r = await deps.inner.send(m, signal);
      if (!r.ok) await deps.actions.releaseAlert(d.id, alert.key, m.eventKey).catch(() => undefined);
      return r;
    },
    close: () => deps.inner.close(),
  };
}
