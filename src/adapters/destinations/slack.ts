/**
 * Kind `slack`, alerts for people: a Slack-compatible incoming webhook (Slack, Mattermost,
 * Rocket.Chat…) gets `{text, blocks}` written for a person from describeEventForPerson. Same pool,
 * SSRF guard and answer semantics as `http`; not signed, since incoming webhooks do not verify.
 */
import { describeEventForPerson, type DescribeOptions } from '../../core/describe-event-for-person.js';
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { DestinationTransport } from '../../ports/destination-transport.js';
import { createHttpPool, type HttpClientOptions } from './http.js';
import { postJson } from './post-json.js';

export interface SlackTransportOptions extends HttpClientOptions {
  readonly url: string;
  /** WHARF_PUBLIC_URL, for links to the dashboard. */
  readonly publicUrl?: string;
}

/** Slack mrkdwn treats &, < and > as markup (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The incoming-webhook body for one event: a plain `text` fallback and Block Kit blocks. */
export function slackPayload(
  event: AnyWharfEvent,
  options: DescribeOptions = {},
): { text: string; blocks: unknown[] } {
  const d = describeEventForPerson(event, options);
  const when = event.occurredAt !== null ? ` · ${new Date(event.occurredAt).toISOString()}` : '';
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: d.title.slice(0, 150) } }];
  if (d.lines.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: escape(d.lines.join('\n')).slice(0, 3000) },
    });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escape(`${event.name}${when}`) }] });
  return { text: d.text, blocks };
}

export function createSlackTransport(o: SlackTransportOptions): DestinationTransport {
  const url = new URL(o.url);
  const pool = createHttpPool(url, o);
  const now = o.now ?? Date.now;
  const headers = { 'content-type': 'application/json', 'user-agent': o.userAgent };
  return {
    send(message, signal) {
      // A transform writes the Slack payload itself (blocks of its own); else Wharf's own.
      const body = message.transformed
        ? message.body
        : JSON.stringify(
            slackPayload(message.event, o.publicUrl !== undefined ? { publicUrl: o.publicUrl } : {}),
          );
      // The webhook URL is the secret of an incoming webhook: never let it into an error text.
      const secrets = [url.pathname.length > 8 ? url.pathname : o.url];
      return postJson(pool, {
        path: `${url.pathname}${url.search}`,
        headers,
        body,
        timeoutMs: o.timeoutMs,
        signal,
        now,
        secrets,
      });
    },
    async close() {
      if (!pool.closed) await pool.close();
    },
  };
}
