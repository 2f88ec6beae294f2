import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { createWharf } from '../../server/create-wharf.js';

/** `wharf start`: apply pending migrations, serve, stop gracefully on SIGTERM/SIGINT (exit 0). */
export function startCommand(): Command {
  return new Command('start')
    .description('apply pending migrations and start the server')
    .addOption(new Option('--role <role>', 'which parts run here').choices(['all', 'ingress', 'worker']))
    .option('--port <port>', 'listen port (overrides PORT)')
    .action(async (opts: { role?: string; port?: string }) => {
      const config = loadConfig({ overrides: { WHARF_ROLE: opts.role, PORT: opts.port } });
      const wharf = createWharf(config);
      await wharf.listen();
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          wharf.logger.info({ signal }, 'shutting down');
          wharf.close().then(resolve, (err: unknown) => {
            wharf.logger.error({ err: String(err) }, 'shutdown failed');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
