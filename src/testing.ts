/**
 * `wharf/testing`: Meta's webhook sender as a library, for your own test suites.
 *
 *   import { simulate, buildScenario, sendDelivery, signBody } from 'wharf/testing';
 *
 *   import { startGraphMock } from 'wharf/testing'; // a local Graph API (Cloud API) for sends
 *
 * Sign a payload the way Meta does, build any named scenario's deliveries (with the events a
 * correct receiver should produce), send them with Meta's retry behaviour, and check a handshake.
 */
import { createScenarioContext, type ScenarioContextOptions } from './simulator/scenarios/context.js';
import { findScenarios } from './simulator/scenarios/index.js';
import type { ScenarioPlan } from './simulator/scenarios/types.js';

export { signBody, verifySignature } from './core/verify-signature.js';
export { escapeJson, escapeJsonText, serializeLikeMeta } from './simulator/escape-json.js';
export { createIds, type Ids } from './simulator/ids.js';
export { SCENARIOS, findScenarios } from './simulator/scenarios/index.js';
export { createScenarioContext } from './simulator/scenarios/context.js';
export { statusBatch } from './simulator/scenarios/status-batch.js';
export type {
  Business,
  Delivery,
  DeliveryChange,
  DeliveryEntry,
  Person,
  Scenario,
  ScenarioContext,
  ScenarioExpectation,
  ScenarioPlan,
  Step,
} from './simulator/scenarios/types.js';
export {
  sendDelivery,
  deliveryBytes,
  type SendDeliveryOptions,
  type SendResult,
} from './simulator/send-delivery.js';
export {
  META_RETRY_DELAYS_MS,
  metaRetrySchedule,
  sendWithMetaRetries,
  type Attempt,
  type RetryOutcome,
} from './simulator/meta-retry.js';
export {
  simulate,
  type SimulateOptions,
  type SimulationReport,
  type ScenarioReport,
  type DeliveryReport,
} from './simulator/simulate.js';
export {
  startGraphMock,
  type GraphMock,
  type StartGraphMockOptions,
} from './testing/graph-mock/start-graph-mock.js';
export {
  GraphMockState,
  type GraphMockOptions,
  type MockSend,
  type MockCall,
} from './testing/graph-mock/graph-mock-state.js';
export type { GraphRoute, GraphMockRequest, GraphMockAnswer } from './testing/graph-mock/graph-route.js';
export { GRAPH_ROUTES } from './testing/graph-mock/graph-routes.js';
export {
  graphErrorBody,
  fbtraceId,
  MOCK_ERRORS,
  invalidParameter,
  missingParameter,
  type GraphErrorSpec,
  type GraphErrorBody,
} from './testing/graph-mock/graph-error.js';
export { waIdOf } from './testing/graph-mock/send-message-route.js';
export { formatReport } from './simulator/format-report.js';
export { runLoad, type LoadOptions } from './simulator/load.js';
export { createLoadBodies } from './simulator/load-bodies.js';
export { summarizeLoad, type LoadSummary } from './simulator/load-summary.js';
export {
  verifyEndpoint,
  type VerifyEndpointOptions,
  type VerifyResult,
} from './simulator/verify-endpoint.js';

/** Builds one named scenario's deliveries and expectations; same options → same bytes. */
export function buildScenario(name: string, options: Omit<ScenarioContextOptions, 'scenario'>): ScenarioPlan {
  const [scenario] = findScenarios([name]);
  if (scenario === undefined) throw new Error(`Unknown scenario: ${name}`);
  return scenario.build(createScenarioContext({ ...options, scenario: name }));
}
