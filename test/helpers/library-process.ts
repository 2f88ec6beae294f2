/**
 * Wharf used as a library, as the README shows, in its own process (the signal tests send it
 * SIGTERM/SIGINT). Usage: node --import tsx test/helpers/library-process.ts [signals-off]
 * Keeps a handle of its own open, as an application would (a pool, a timer), and prints
 * `listening <port>` once it serves.
 */
import { createWharf, loadConfig } from '../../src/index.js';

const handleSignals = process.argv[2] !== 'signals-off';
const wharf = createWharf(loadConfig(), { handleSignals });
setInterval(() => undefined, 60_000);
const { port } = await wharf.listen();
process.stdout.write(`listening ${port}\n`);
