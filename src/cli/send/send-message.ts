/**
 * `wharf send`: one message through a running Wharf's POST /api/v1/messages (docs/sending.md), so
 * the CLI gets the same guards, record and idempotency as every other sender.
 */
import { readFileSync } from 'node:fs';
import { cliTarget } from '../commands/cli-target.js';
import { callApi, errorMessage, wharfBase, type WharfApi } from '../wharf-api.js';

export interface SendFlags {
  readonly from?: string;
  readonly apiToken?: string;
  readonly phoneNumberId?: string;
  readonly to?: string;
  readonly recipient?: string;
  readonly text?: string;
  readonly template?: string;
  readonly language?: string;
  readonly file?: string;
  readonly replyTo?: string;
  readonly smsFallbackText?: string;
  readonly idempotencyKey?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

export class SendUsageError extends Error {}

/** The message object from --file (Meta's JSON) or from --text / --template, plus the flags given. */
export function messageFromFlags(flags: SendFlags): Record<string, unknown> {
  let message: Record<string, unknown> = {};
  if (flags.file !== undefined) {
    try {
      message = JSON.parse(readFileSync(flags.file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new SendUsageError(`--file ${flags.file}: ${(err as Error).message}`);
    }
  } else if (flags.text !== undefined) message = { type: 'text', text: { body: flags.text } };
  else if (flags.template !== undefined)
    message = {
      type: 'template',
      template: { name: flags.template, language: { code: flags.language ?? 'en_US' } },
    };
  else throw new SendUsageError('say what to send: --text, --template or --file');
  return {
    ...message,
    ...(flags.phoneNumberId === undefined ? {} : { phone_number_id: flags.phoneNumberId }),
    ...(flags.to === undefined ? {} : { to: flags.to }),
    ...(flags.recipient === undefined ? {} : { recipient: flags.recipient }),
    ...(flags.replyTo === undefined ? {} : { context: { message_id: flags.replyTo } }),
    ...(flags.smsFallbackText === undefined ? {} : { sms_fallback_text: flags.smsFallbackText }),
  };
}

export async function sendMessage(flags: SendFlags): Promise<number> {
  const message = messageFromFlags(flags);
  const target = flags.from === undefined || flags.apiToken === undefined ? cliTarget() : undefined;
  const api: WharfApi = {
    base: flags.from === undefined ? (target as { apiBase: string }).apiBase : wharfBase(flags.from),
    token: flags.apiToken ?? target?.apiToken,
  };
  const answer = await callApi(
    api,
    'POST',
    `/api/v1/messages${flags.force === true ? '?force=true' : ''}`,
    message,
    flags.idempotencyKey === undefined ? {} : { 'idempotency-key': flags.idempotencyKey },
  );
  const body = (answer.json ?? {}) as Record<string, unknown>;
  if (flags.json === true) console.log(JSON.stringify(body, null, 2));
  if (answer.status === 201) {
    if (flags.json !== true) console.log(`sent ${String(body.wamid)} (send ${String(body.id)})`);
    return 0;
  }
  if (flags.json !== true) {
    console.error(`wharf send: ${errorMessage(answer)}`);
    const meta = body.meta_error as
      { code?: unknown; fbtrace_id?: unknown; action?: unknown } | null | undefined;
    if (meta)
      console.error(
        `  Meta error ${String(meta.code)}, fbtrace_id ${String(meta.fbtrace_id)}, action ${String(meta.action)}`,
      );
    if (typeof body.id === 'string')
      console.error(`  recorded as ${String(body.status)}: GET /api/v1/messages/${body.id}`);
  }
  return answer.status === 422 ? 2 : 1;
}
