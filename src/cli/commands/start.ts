import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { createWharf } from '../../app/create-wharf.js';

/** `wharf start`: apply pending migrations, serve, stop gracefully on SIGTERM/SIGINT (exit 0). */
export function startCommand(): Command {
  return new Command('start')
    .description('apply pending migrations and start the server')
    .addOption(new Option('--role <role>', 'which parts run here').choices(['all', 'ingress', 'worker']))
    .option('--port <port>', 'listen port (overrides PORT)')
    .action(async (opts: { role?: string; port?: string }) => {
      const config = loadConfig({ overrides: { WHARF_ROLE: opts.role, PORT: opts.port } });
      // listen() stops gracefully on SIGTERM/SIGINT and exits 0 (src/app/stop-on-signals.ts).
      await createWharf(config).listen();
    });
}
