/**
 * What the destination mechanism needs from the kinds (src/adapters/destinations/),
 * injected by the composition root so the use cases and the dispatcher never import an adapter.
 */
import type { Destination, DestinationKind, DestinationSettings } from '../core/destinations/destination.js';
import type { FieldProblem } from '../core/destinations/parse-destination-input.js';
import type { DestinationTransport } from '../ports/destination-transport.js';
import type { SmsProvider } from '../ports/sms-provider.js';

export interface DestinationKinds {
  /** A kind's settings (`url`, `headers`, `subject`, …): null when valid, else the first problem, field named. */
  validateSettings(kind: DestinationKind, settings: DestinationSettings): FieldProblem | null;
  /** The SSRF check of a URL setting; rejects with a WharfError (DESTINATION_ADDRESS_FORBIDDEN) saying why. */
  checkUrl(kind: DestinationKind, settings: DestinationSettings): Promise<void>;
  /** Opens the transport of a destination; `secrets` gives the live signing secrets at each send. */
  openTransport(destination: Destination, secrets: () => readonly string[]): DestinationTransport;
  /** The SMS provider of an `sms` destination (the app claims the wamid before each call). */
  openSmsProvider(destination: Destination): SmsProvider;
}
