import { accountRestriction, phoneNumberQualityDowngrade } from './account.js';
import { otpUndelivered, smsFallback } from './actions.js';
import { batchedDelivery } from './batching.js';
import { duplicateRetries } from './duplicates.js';
import { historyNear3Mb } from './history.js';
import { bsuidOnlyContact } from './identity.js';
import { inboundAllTypes } from './inbound-messages.js';
import {
  statusDeliveredSkipped,
  statusFailures,
  statusLifecycle,
  statusOutOfOrder,
} from './outbound-statuses.js';
import { templateLifecycle, templateQualityDowngrade } from './templates.js';
import { unknownFieldAndType } from './unknown.js';
import { marketingOptOutAndResume } from './user-preferences.js';
import { sentMessageStatuses } from './sent-message.js';
import type { Scenario } from './types.js';

/** Every named scenario, in the order `--list` prints and a full run sends them. */
export const SCENARIOS: readonly Scenario[] = [
  inboundAllTypes,
  statusLifecycle,
  statusDeliveredSkipped,
  statusOutOfOrder,
  statusFailures,
  smsFallback,
  otpUndelivered,
  sentMessageStatuses,
  templateLifecycle,
  templateQualityDowngrade,
  phoneNumberQualityDowngrade,
  accountRestriction,
  marketingOptOutAndResume,
  bsuidOnlyContact,
  batchedDelivery,
  duplicateRetries,
  unknownFieldAndType,
  historyNear3Mb,
];

/** Looks scenarios up by name; throws naming every unknown one and listing the valid names. */
export function findScenarios(names: readonly string[]): Scenario[] {
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. ` +
        `Valid names: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  return names.map((n) => SCENARIOS.find((s) => s.name === n) as Scenario);
}
