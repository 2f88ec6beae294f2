import { Command } from 'commander';
import { sendMessage, SendUsageError, type SendFlags } from '../send/send-message.js';

/** `wharf send`: a message through a running Wharf, with its guards (docs/sending.md). */
export function sendCommand(): Command {
  return new Command('send')
    .description('send a WhatsApp message through a running Wharf (POST /api/v1/messages, with its guards)')
    .option('--from <wharf url>', 'the running Wharf (default: http://127.0.0.1:$PORT from config)')
    .option('--api-token <token>', 'the API token of that Wharf (default: WHARF_API_TOKEN)')
    .option('--phone-number-id <id>', 'the business number that sends')
    .option('--to <phone>', 'recipient phone number with country code')
    .option('--recipient <bsuid>', 'recipient business-scoped user id, instead of --to')
    .option('--text <text>', 'a text message')
    .option('--template <name>', 'a template message (with --language, default en_US)')
    .option('--language <code>', 'template language code')
    .option('--file <path>', "a JSON file holding Meta's message object (any type: image, interactive, …)")
    .option('--reply-to <wamid>', 'quote this message (context.message_id)')
    .option('--sms-fallback-text <text>', 'text of the SMS fallback if WhatsApp fails')
    .option('--idempotency-key <key>', 'the same key never sends twice')
    .option('--force', 'skip the guards (window, opt-out, template state)')
    .option('--json', 'print the API answer as JSON')
    .action(async (flags: SendFlags) => {
      try {
        process.exitCode = await sendMessage(flags);
      } catch (error) {
        console.error(`wharf send: ${(error as Error).message}`);
        process.exitCode = error instanceof SendUsageError ? 2 : 1;
      }
    });
}
