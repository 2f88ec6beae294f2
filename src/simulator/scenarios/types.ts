import type { Ids } from '../ids.js';

/** The envelope Meta POSTs (Meta's docs on the webhook envelope). `value` stays open: every field has its own shape. */
export interface Delivery {
  readonly object: 'whatsapp_business_account';
  readonly entry: readonly DeliveryEntry[];
}

export interface DeliveryEntry {
  readonly id: string;
  readonly time?: number;
  readonly changes: readonly DeliveryChange[];
}

export interface DeliveryChange {
  readonly field: string;
  readonly value: Readonly<Record<string, unknown>>;
}

/** A business phone number under a WABA (routing keys of Meta's docs on the messages-family value). */
export interface Business {
  readonly wabaId: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
}

/** A WhatsApp user. `waId` is absent for username users whose number is withheld (Meta's docs on business-scoped user ids and usernames). */
export interface Person {
  readonly name: string;
  readonly waId?: string;
  readonly userId: string;
  readonly parentUserId?: string;
  readonly username?: string;
}

/** Everything a scenario builder may use: seeded ids, a base time, and a cast of numbers and people. */
export interface ScenarioContext {
  readonly ids: Ids;
  /** Base time in Unix seconds; scenario timestamps are offsets from it. */
  readonly now: number;
  readonly business: Business;
  /** A second WABA, for batched deliveries with several entries. */
  readonly otherBusiness: Business;
  /** Phone number and BSUID known. */
  readonly ana: Person;
  readonly ben: Person;
  /** Adopted a username and hides their number: BSUID only (Meta's docs on business-scoped user ids and usernames). */
  readonly lena: Person;
  /** A message sent through Wharf whose statuses a scenario sends (`sent-message-statuses`). */
  readonly sent?: { readonly wamid: string; readonly to: string; readonly phoneNumberId: string };
}

/** One thing the simulator does, in order. */
export type Step =
  | {
      readonly kind: 'delivery';
      /** Short human label for summaries, e.g. `status read`. */
      readonly label: string;
      readonly body: Delivery;
      /** Send the exact same bytes this many times (Meta's duplicate retries). Default 1. */
      readonly times?: number;
    }
  | { readonly kind: 'delay'; readonly ms: number; readonly reason: string };

/** What a correct receiver should end up with once every step was acknowledged. */
export interface ScenarioExpectation {
  /** Normalized events after de-duplication, by event name (src/events/event-names.ts) → count. */
  readonly events: Readonly<Record<string, number>>;
  /** Final status per outbound wamid as the read API should show it (status rank, never downgraded). */
  readonly messageStatus?: Readonly<Record<string, string>>;
}

export interface ScenarioPlan {
  readonly steps: readonly Step[];
  readonly expect: ScenarioExpectation;
}

export interface Scenario {
  /** Stable kebab-case name used by `--scenario`. */
  readonly name: string;
  /** One line for `--list`. */
  readonly description: string;
  /** Pure: same context (same seed and time) → same plan, byte for byte. */
  build(ctx: ScenarioContext): ScenarioPlan;
}
