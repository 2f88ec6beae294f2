/**
 * Alerts (docs/actions.md, kinds `slack` and `email` with their default filter): each default trigger
 * reaches a local Slack-compatible receiver and an SMTP server as text a person can act on (what
 * happened, why it matters, what to do, a dashboard link with WHARF_PUBLIC_URL); updates that need no
 * one are not sent; the same alert key goes out once per dedupe_minutes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../helpers/email-transport-fixture.js';
import { fixtureBytes } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/wait-for.js';
import type { Receiver } from '../../helpers/destination-receiver.js';

const fixture = (path: string) => fixtureBytes(path).toString('utf8');
const PUBLIC_URL = 'https://wharf.example.com';

/** Each default trigger: the fixture, and sentences the alert must hold. */
const TRIGGERS: Array<[string, RegExp[]]> = [
  [
    'message_template_status_update/paused.json',
    [
      /^Template spring_sale \(en_US\) is now PAUSED/,
      /This is its first pause: it lasts 3 hours\./,
      /Meta pauses a low-quality template for 3 hours the first time, for 6 hours the second time, and disables it for good the third time\./,
      /What to do: Switch your sends to another approved template now/,
      /Open in Wharf: https:\/\/wharf\.example\.com\/ui\/#\/templates/,
    ],
  ],
  [
    'message_template_status_update/second-pause.json',
    [/This is its second pause: it lasts 6 hours\. A third one disables it for good\./],
  ],
  [
    'message_template_status_update/disabled.json',
    [
      /is now DISABLED/,
      /disabled for good: every send of it fails \(error 132016\)/,
      /What to do: Create a new template/,
    ],
  ],
  [
    'message_template_status_update/rejected-invalid-format.json',
    [/is now REJECTED/, /Reason: INVALID_FORMAT/, /What to do: Fix what the reason says/],
  ],
  ['message_template_status_update/flagged.json', [/is now FLAGGED/, /it will be paused if that goes on/]],
  [
    'message_template_quality_update/red.json',
    [
      /^Template spring_sale \(en_US\) quality is RED \(low\)/,
      /Quality: YELLOW → RED/,
      /Low quality is how pauses start/,
    ],
  ],
  [
    'phone_number_quality_update/legacy-downgrade.json',
    [
      /^Messaging limit of \+15551230000 lowered/,
      /Messaging limit: TIER_10K → TIER_1K/,
      /business-initiated sends beyond the new limit are refused/,
      /Open in Wharf: https:\/\/wharf\.example\.com\/ui\/#\/phone-numbers/,
    ],
  ],
  [
    'account_update/restriction.json',
    [
      /^WhatsApp account restricted/,
      /Restricted: you cannot start conversations: business-initiated messages \(templates included\) are refused — until 2026-01-08 00:00 UTC/,
      /What to do: Stop the sends it covers until it ends/,
    ],
  ],
  ['account_update/violation.json', [/^WhatsApp policy violation: ADULT/, /Account quality/]],
  [
    'account_update/disabled.json',
    [/^WhatsApp account scheduled to be disabled \(April 17, 2025\)/, /What to do: Appeal before the date/],
  ],
];

/** Updates that need no one: not sent by an alert destination (without all_updates). */
const QUIET = [
  'phone_number_quality_update/throughput-upgrade.json',
  'message_template_quality_update/yellow.json',
];

describe('alerts to Slack and e-mail', () => {
  const bed = destinationTestBed();
  let smtp: SmtpReceiver;
  before(async () => {
    smtp = await startSmtpReceiver();
  });
  after(() => smtp.close());

  async function start(): Promise<{ slack: Receiver; deliver: (body: string) => Promise<void> }> {
    const w = await bed.wharf({ WHARF_PUBLIC_URL: PUBLIC_URL });
    const slack = await bed.receiver();
    const s = await bed.create({ name: 'ops-slack', kind: 'slack', url: slack.url });
    assert.deepEqual((s['filter'] as { events: string[] }).events, [
      'template.status',
      'template.quality',
      'phone_number.quality',
      'account.update',
      'account.alert',
      'wharf.destination.',
      'wharf.dead_letter',
      'wharf.media.failed',
    ]);
    await bed.create({
      name: 'ops-mail',
      kind: 'email',
      url: smtp.url,
      to: 'ops@example.com',
      from: 'wharf@example.com',
    });
    return {
      slack,
      deliver: async (body) => assert.equal((await w.deliver(body)).status, 200),
    };
  }

  test('each default trigger arrives in Slack and by e-mail with what happened, why, what to do and the link', async () => {
    const { slack, deliver } = await start();
    const mailsBefore = smtp.mails.length;
    for (const [file] of TRIGGERS) await deliver(fixture(file));
    await waitFor('every alert in Slack', () => slack.received.length === TRIGGERS.length, 15_000);
    await waitFor('every alert by mail', () => smtp.mails.length - mailsBefore === TRIGGERS.length, 15_000);
    const slackTexts = slack.received.map((r) => String(r.json['text']));
    const mailTexts = smtp.mails.slice(mailsBefore).map((m) => `${m.subject}\n${m.text ?? ''}`);
    for (const [file, sentences] of TRIGGERS) {
      const first = sentences[0]!;
      for (const [where, texts] of [
        ['Slack', slackTexts],
        ['mail', mailTexts],
      ] as const) {
        const text = texts.find((t) => sentences.every((s) => s.test(t)));
        assert.ok(
          text,
          `${file} in ${where}: no text holds ${sentences.join(' and ')}\n${texts.filter((t) => first.test(t)).join('\n---\n')}`,
        );
        assert.match(text, /Why it matters: /);
        assert.match(text, /What to do: /);
      }
    }
    // Slack gets Block Kit too: the headline as a header block.
    assert.ok(
      slack.received.some(
        (r) =>
          (r.json['blocks'] as Array<{ type: string; text?: { text: string } }>)[0]?.text?.text ===
          'WhatsApp account restricted',
      ),
    );
  });

  test('updates that need no one (a throughput upgrade, quality YELLOW) are not sent', async () => {
    const { slack, deliver } = await start();
    for (const file of QUIET) await deliver(fixture(file));
    // The paused template after them: once it is in, the two before it were handled.
    await deliver(fixture('message_template_status_update/paused.json'));
    await waitFor('the paused alert', () => slack.received.length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      slack.received.map((r) => String(r.json['text']).split('\n')[0]),
      ['Template spring_sale (en_US) is now PAUSED'],
    );
  });

  test('the same alert key is sent once per dedupe_minutes; another key is not held back', async () => {
    const { slack, deliver } = await start();
    const paused = fixture('message_template_status_update/paused.json');
    await deliver(paused);
    // The same pause reported again (another delivery time: another event), then a different alert.
    await deliver(paused.replace(/"time":\s*1767225600/, '"time": 1767225900'));
    await deliver(fixture('account_update/violation.json'));
    await waitFor('two alerts', () => slack.received.length === 2, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      slack.received.map((r) => String(r.json['text']).split('\n')[0]),
      ['Template spring_sale (en_US) is now PAUSED', 'WhatsApp policy violation: ADULT'],
    );
  });

  test('a destination disabled (410 Gone) and a dead letter are alerts with the way out', async () => {
    const { slack, deliver } = await start();
    const gone = await bed.receiver(() => ({ status: 410 }));
    const broken = await bed.receiver(() => ({ status: 500, body: 'boom' }));
    const g = await bed.create({
      name: 'gone-crm',
      kind: 'http',
      url: gone.url,
      filter: { events: ['message.'] },
    });
    await bed.create({ name: 'broken-crm', kind: 'http', url: broken.url, filter: { events: ['message.'] } });
    await deliver(fixture('messages/text.json'));
    await waitFor('two alerts', () => slack.received.length === 2, 15_000);
    const texts = slack.received.map((r) => String(r.json['text']));
    const disabled = texts.find((t) => t.startsWith('Destination gone-crm was disabled'));
    assert.ok(disabled, texts.join('\n---\n'));
    assert.match(disabled, /Reason: the receiver answered 410 Gone/);
    assert.match(
      disabled,
      new RegExp(`enable it again \\(PATCH /api/v1/destinations/${g.id} \\{"enabled": true\\}\\)`),
    );
    assert.match(
      disabled,
      new RegExp(`Open in Wharf: https://wharf\\.example\\.com/ui/#/destinations/${g.id}`),
    );
    const dead = texts.find((t) => t.startsWith('Wharf gave up delivering message.text to destination:'));
    assert.ok(dead, texts.join('\n---\n'));
    assert.match(dead, /After 3 attempts\. Last error: the receiver answered 500/);
    assert.match(dead, /replay it: POST \/api\/v1\/dead-letters\/\d+\/replay/);
    assert.match(dead, /Open in Wharf: https:\/\/wharf\.example\.com\/ui\/#\/dead-letters/);
  });
});
