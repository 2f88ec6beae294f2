import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { packageVersion } from '../util/package-version.js';

/** Exit code of a usage error (a missing flag value, an unknown option or command), as the commands' own flag checks use. */
const USAGE_ERROR = 2;

/** Settings of `parent` (exitOverride, help after error) on `cmd` and on its own subcommands. */
function inherit(cmd: Command, parent: Command): Command {
  cmd.copyInheritedSettings(parent);
  for (const sub of cmd.commands) inherit(sub, cmd);
  return cmd;
}

/** Entry point of the `wharf` binary. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('wharf')
    .description('durable landing dock for WhatsApp Business Platform webhooks')
    .version(packageVersion(), '-V, --version', 'print the installed version of Wharf')
    .exitOverride()
    .showHelpAfterError();
  // addCommand() does not pass exitOverride on (only .command() does): without this a subcommand's
  // parse error called process.exit(1) itself, skipping the caller and the documented exit code 2.
  for (const make of COMMANDS) program.addCommand(inherit(make(), program));
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : USAGE_ERROR;
    throw err;
  }
}
