import { Command } from 'commander';
import { valueOption } from '../value-option.js';
import { printJson } from '../print-json.js';
import { verifyEndpoint } from '../../simulator/verify-endpoint.js';
import { millisecondsFlag, urlFlag } from '../parse-flag.js';
import { cliTarget } from './cli-target.js';

interface VerifyFlags {
  url?: string;
  verifyToken?: string;
  timeout?: string;
  json?: boolean;
}

/** `wharf verify`: Meta's GET handshake against an endpoint, with a plain-words diagnosis. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description("perform Meta's GET subscription handshake against an endpoint and explain any failure")
    .option('--url <endpoint>', 'callback URL to check (default: the local Wharf from config)')
    .option(
      '--verify-token <token>',
      'verify token as typed in the App Dashboard (default: WHATSAPP_VERIFY_TOKEN)',
    )
    .addOption(valueOption('--timeout <ms>', 'how long to wait for an answer', '10000'))
    .option('--json', 'print the result as JSON')
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
}

async function runVerify(flags: VerifyFlags): Promise<number> {
  let url = flags.url;
  let token = flags.verifyToken;
  let timeoutMs: number | undefined;
  try {
    timeoutMs = millisecondsFlag('timeout', flags.timeout);
    if (url !== undefined) urlFlag('url', url);
    if (url === undefined || token === undefined) {
      const target = cliTarget();
      url ??= target.url;
      token ??= target.verifyToken;
    }
    if (token === undefined)
      throw new Error('No verify token: pass --verify-token or set WHATSAPP_VERIFY_TOKEN.');
  } catch (err) {
    process.stderr.write(`wharf verify: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const result = await verifyEndpoint({ url, verifyToken: token, timeoutMs });
  if (flags.json) printJson(result);
  else {
    process.stdout.write(`${result.ok ? '✔' : '✘'} ${result.endpoint}: ${result.message}\n`);
    for (const w of result.warnings) process.stdout.write(`  warning: ${w}\n`);
  }
  return result.ok ? 0 : 1;
}
