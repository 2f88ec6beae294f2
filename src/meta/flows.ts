/** `field: "flows"` status and health alerts (Meta's docs on `flows`). */

export interface WireFlowsValue {
  event?:
    | 'FLOW_STATUS_CHANGE'
    | 'CLIENT_ERROR_RATE'
    | 'ENDPOINT_ERROR_RATE'
    | 'ENDPOINT_LATENCY'
    | 'ENDPOINT_AVAILABILITY'
    | 'FLOW_VERSION_EXPIRY_WARNING'
    | (string & {});
  flow_id?: string;
  message?: string;
  old_status?: string;
  new_status?: string;
  alert_state?: 'ACTIVATED' | 'DEACTIVATED' | (string & {});
  threshold?: number;
  error_rate?: number;
  errors?: { error_type?: string; error_rate?: number; error_count?: number }[];
  p50_latency?: number;
  p90_latency?: number;
  requests_count?: number;
  availability?: number;
  warning?: string;
}
