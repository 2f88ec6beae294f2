import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';

/** Entry point of the `wharf` binary. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('wharf')
    .description('Durable landing dock for WhatsApp Business Platform webhooks')
    .exitOverride()
    .showHelpAfterError();
  for (const make of COMMANDS) program.addCommand(make());
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}
