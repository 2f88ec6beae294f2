import { Command } from 'commander';
import { valueOption } from '../value-option.js';
import { runDoctor } from '../../doctor/run-doctor.js';
import { formatDoctorReport } from '../../doctor/format-doctor-report.js';
import { millisecondsFlag, urlFlag } from '../parse-flag.js';

interface DoctorFlags {
  url?: string;
  wabaId?: string;
  timeout?: string;
  json?: boolean;
}

/** `wharf doctor`: checks the setup and says in plain words why nothing arrives. Exit 1 when a check fails. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check the configuration, database, callback URL and WABA subscription; explain what is wrong',
    )
    .option('--url <endpoint>', 'public callback URL to run the GET verification handshake against')
    .option(
      '--waba-id <id>',
      'id of the WhatsApp Business Account whose subscribed_apps to check (needs WHATSAPP_ACCESS_TOKEN)',
    )
    .addOption(valueOption('--timeout <ms>', 'how long to wait for each network check', '10000'))
    .option('--json', 'print the report as JSON')
    .action(async (flags: DoctorFlags) => {
      process.exitCode = await runDoctorCommand(flags);
    });
}

async function runDoctorCommand(flags: DoctorFlags): Promise<number> {
  let timeoutMs: number | undefined;
  try {
    timeoutMs = millisecondsFlag('timeout', flags.timeout);
    if (flags.url !== undefined) urlFlag('url', flags.url);
    // A WABA id is a number; anything else would be put into the Graph API path as is.
    if (flags.wabaId !== undefined && !/^\d+$/.test(flags.wabaId))
      throw new Error(`--waba-id must be the WhatsApp Business Account's numeric id (got "${flags.wabaId}")`);
  } catch (err) {
    console.error(`wharf doctor: ${(err as Error).message}`);
    return 2;
  }
  const report = await runDoctor({
    ...(flags.url === undefined ? {} : { url: flags.url }),
    ...(flags.wabaId === undefined ? {} : { wabaId: flags.wabaId }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  if (flags.json) console.log(JSON.stringify(report, null, 2));
  else
    console.log(
      formatDoctorReport(report, { url: flags.url !== undefined, wabaId: flags.wabaId !== undefined }),
    );
  return report.ok ? 0 : 1;
}
