import { Command } from 'commander';
import { create, list, remove, replay, test, UsageError } from '../destinations/destination-actions.js';

/** The flags every subcommand takes: which Wharf, its token, and JSON output. */
function common(c: Command): Command {
  return c
    .option('--from <wharf url>', 'the running Wharf (default: http://127.0.0.1:$PORT from config)')
    .option('--api-token <token>', 'the API token of that Wharf (default: WHARF_API_TOKEN)')
    .option('--json', 'print the API answer as JSON');
}

/** Runs one subcommand: usage errors exit 2, Wharf refusing or unreachable exit 1. */
function action<A extends unknown[]>(sub: string, run: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await run(...args);
    } catch (error) {
      console.error(`wharf destinations ${sub}: ${(error as Error).message}`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    }
  };
}

const many = (v: string, prev: string[] = []) => [...prev, v];

/** `wharf destinations …`: a client of a running Wharf's management API (docs/destinations.md). */
export function destinationsCommand(): Command {
  const cmd = new Command('destinations').description(
    'list, create, test, delete and replay the destinations of a running Wharf (its /api/v1/destinations)',
  );
  cmd.addCommand(common(new Command('list').description('list destinations')).action(action('list', list)));
  cmd.addCommand(
    common(
      new Command('create').description(
        'create a destination from flags or from --file (its secret is shown once)',
      ),
    )
      .option('--file <path>', 'JSON file: one destination or an array of them (the API fields)')
      .option('--name <name>', 'unique name')
      .option('--kind <kind>', 'http, slack, nats, rabbitmq, redis, email, …')
      .option('--url <url>', 'http/slack: the URL; brokers: their nats://, amqp://, redis://, smtp:// URL')
      .option('--subject <subject>', 'nats: subject, may hold {name} and {phone_number_id}')
      .option('--exchange <exchange>', 'rabbitmq: exchange')
      .option('--routing-key <key>', 'rabbitmq: routing key, may hold {name} and {phone_number_id}')
      .option('--stream <stream>', 'redis: stream key, may hold {name} and {phone_number_id}')
      .option('--header <"Name: value">', 'http: a header sent with each request (repeatable)', many)
      .option('--setting <key=value>', 'any other kind setting, e.g. to=ops@example.com (repeatable)', many)
      .option(
        '--events <names>',
        'event names or prefixes ending in ".", comma-separated (default: all but wharf.*)',
      )
      .option('--phone-number-ids <ids>', 'only these business phone number ids, comma-separated')
      .option('--waba-ids <ids>', 'only these WhatsApp Business Account ids, comma-separated')
      .option('--error-codes <codes>', 'only events carrying one of these error codes, comma-separated')
      .option('--error-actions <actions>', 'only errors whose policy action is one of these (e.g. fallback)')
      .option('--format <format>', 'event (default), meta or conversation')
      .option(
        '--batch-window-ms <ms>',
        'format conversation: a contact’s messages within this many ms are one call (default 0)',
      )
      .option('--timeout-ms <ms>', 'how long one attempt may take (default 10000)')
      .option('--max-in-flight <n>', 'attempts at once (default 10)')
      .option('--rate-limit <per second>', 'at most this many attempts a second (default: no limit)')
      .option('--ordering <ordering>', 'none (default) or contact: each contact in order')
      .option('--disabled', 'create it disabled')
      .action(action('create', create)),
  );
  cmd.addCommand(
    common(new Command('test').description('send one sample event now and show the answer'))
      .argument('<id-or-name>', 'the destination')
      .action(action('test', test)),
  );
  cmd.addCommand(
    common(new Command('delete').description('delete a destination'))
      .argument('<id-or-name>', 'the destination')
      .action(action('delete', remove)),
  );
  cmd.addCommand(
    common(new Command('replay').description('hand the events of a time range to a destination again'))
      .argument('<id-or-name>', 'the destination')
      .requiredOption('--since <iso>', 'start of the range (occurred at, inclusive)')
      .requiredOption('--until <iso>', 'end of the range (exclusive)')
      .option('--failed-only', 'only the events whose hand-off to it failed')
      .action(action('replay', replay)),
  );
  return cmd;
}
