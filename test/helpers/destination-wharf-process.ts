/**
 * A Wharf process with destinations (the fetch-based test kind), configured from the environment
 * like `wharf start`, for tests that kill and restart it (spawnDestinationWharf).
 */
import { loadConfig } from '../../src/config/load-config.js';
import { createWharf } from '../../src/app/create-wharf.js';
import { fetchDestinationKinds } from './fetch-destination-kinds.js';

const wharf = createWharf(loadConfig({ envFile: false }), {
  destinations: { kinds: fetchDestinationKinds(), pollMs: 50 },
});
await wharf.listen();
