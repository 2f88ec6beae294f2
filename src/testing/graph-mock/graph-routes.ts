/**
 * The Graph API routes the mock answers. To mock more of Meta's API, write a GraphRoute in its own
 * file and add it here (or pass `routes` to startGraphMock in a test).
 */
import type { GraphRoute } from './graph-route.js';
import { sendMessageRoute } from './send-message-route.js';

export const GRAPH_ROUTES: readonly GraphRoute[] = [sendMessageRoute];
