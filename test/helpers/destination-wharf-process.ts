/**
 * A Wharf process with destinations (the real kinds, a short poll), configured from the environment
 * like `wharf start`, for tests that kill and restart it (spawnDestinationWharf).
 */
import { loadConfig } from '../../src/config/load-config.js';
import { createWharf } from '../../src/server/create-wharf.js';
import { openDestinationKinds } from '../../src/server/open-destination-kinds.js';

const config = loadConfig({ envFile: false });
const wharf = createWharf(config, { destinations: { kinds: openDestinationKinds(config), pollMs: 50 } });
await wharf.listen();
