/**
 * The sending part of one Wharf process: the Graph API client (when WHATSAPP_ACCESS_TOKEN is set)
 * and the send use case on the storage's send store, with refused sends emitted as
 * `wharf.send.refused` through the destinations runtime (or only stored, without destinations).
 */
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { Storage } from '../ports/storage.js';
import type { GraphApi } from '../ports/graph-api.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { SendService } from '../app/send-service.js';
import { createGraphClient } from '../adapters/graph/graph-client.js';

export interface SendingPart {
  readonly service: SendService;
  readonly graph: GraphApi | null;
  close(): Promise<void>;
}

export function startSending(args: {
  readonly config: WharfConfig;
  readonly storage: Storage;
  readonly logger: Logger;
  readonly now: () => number;
  /** The destinations runtime's emit, when destinations run in this process. */
  readonly emit?: (event: AnyWharfEvent) => Promise<void>;
}): SendingPart {
  const { config, storage, now } = args;
  const graph =
    config.accessToken === undefined
      ? null
      : createGraphClient({
          graphUrl: config.graphUrl,
          accessToken: config.accessToken,
          timeoutMs: config.sendTimeoutMs,
        });
  const service = new SendService({
    store: storage.sends,
    reads: storage.reads,
    graph,
    ratePerNumber: config.sendRatePerNumber,
    queuePerNumber: config.sendQueuePerNumber,
    timeoutMs: config.sendTimeoutMs,
    now,
    logger: args.logger,
    emit: args.emit ?? ((event) => storage.destinations.recordEvent(event, [], now()).then(() => undefined)),
  });
  return { service, graph, close: async () => graph?.close() };
}
