import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { WharfError } from '../../errors.js';
import { createWharf } from '../../server/create-wharf.js';

/** `wharf start`: apply pending migrations, serve, stop gracefully on SIGTERM/SIGINT (exit 0). */
export function startCommand(): Command {
  return new Command('start')
    .description('apply pending migrations and start the server')
    .addOption(new Option('--role <role>', 'which parts run here').choices(['all', 'ingress', 'worker']))
    .option('--port <port>', 'listen port (overrides PORT)')
    .action(async (flags: { role?: string; port?: string }) => {
      const config = loadConfig({ overrides: { WHARF_ROLE: flags.role, PORT: flags.port } });
      const wharf = createWharf(config);
      try {
        // listen() stops gracefully on SIGTERM/SIGINT and exits 0 (src/app/stop-on-signals.ts).
        await wharf.listen();
      } catch (err) {
        await wharf.close();
        // A bare "connect ECONNREFUSED" or "listen EADDRINUSE" did not say which setting to look at;
        // the catalogue's errors do, and the docs anchor says more.
        if (!(err instanceof WharfError)) throw err;
        console.error(`wharf start: ${err.message} (${err.code}, see ${err.docs})`);
        process.exitCode = 1;
      }
    });
}
