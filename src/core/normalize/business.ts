/** Partner and payments fields (Meta's docs on partner and payment fields) and flows (Meta's docs on `flows`): one event per change. */
import type { Loose } from '../../meta/common.js';
import type { WirePartnerSolutionsValue, WirePaymentConfigurationValue } from '../../meta/business.js';
import type { WireFlowsValue } from '../../meta/flows.js';
import type { ChangeContext } from './context.js';
import { emitManagement } from './management.js';
import { epochMs, list, num, obj, str, type Obj } from './read.js';

export function normalizePartnerSolution(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WirePartnerSolutionsValue>;
  const data = {
    event: str(v.event),
    solutionId: str(v.solution_id),
    solutionStatus: str(v.solution_status),
  };
  emitManagement(ctx, 'partner.solution', value, [data.solutionId, data.event, data.solutionStatus], data);
}

export function normalizePaymentConfiguration(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WirePaymentConfigurationValue>;
  const updatedAt = epochMs(v.updated_timestamp);
  const name = str(v.configuration_name);
  emitManagement(
    ctx,
    'payment.configuration',
    value,
    [name, str(v.status)],
    {
      configurationName: name,
      providerName: str(v.provider_name),
      providerMid: str(v.provider_mid),
      status: str(v.status),
      createdAt: epochMs(v.created_timestamp),
      updatedAt,
    },
    { occurredAt: updatedAt ?? ctx.entryTime },
  );
}

export function normalizeFlows(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireFlowsValue>;
  const event = str(v.event) ?? '';
  const flowId = str(v.flow_id);
  const data = {
    event,
    flowId,
    message: str(v.message),
    oldStatus: str(v.old_status),
    newStatus: str(v.new_status),
    alertState: str(v.alert_state),
    threshold: num(v.threshold),
    errorRate: num(v.error_rate),
    p50LatencyMs: num(v.p50_latency),
    p90LatencyMs: num(v.p90_latency),
    requestsCount: num(v.requests_count),
    availability: num(v.availability),
    warning: str(v.warning),
    errors: list(v.errors).map((e) => {
      const o = obj(e) ?? {};
      return {
        errorType: str(o['error_type']),
        errorRate: num(o['error_rate']),
        errorCount: num(o['error_count']),
      };
    }),
  };
  const name = event === 'FLOW_STATUS_CHANGE' ? 'flow.status' : 'flow.alert';
  emitManagement(ctx, name, value, [flowId, event, data.newStatus ?? data.alertState], data);
}
