import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validateKindSettings,
  parseKindSettings,
} from '../../../../src/core/destinations/validate-kind-settings.js';
import type { DestinationKind } from '../../../../src/core/destinations/destination.js';

const strict = { allowPrivate: false };
const check = (kind: DestinationKind, settings: Record<string, unknown>, o = strict) =>
  validateKindSettings(kind, settings, o);
const fields = (kind: DestinationKind, settings: Record<string, unknown>, o = strict) =>
  check(kind, settings, o).map((p) => p.field);

describe('validateKindSettings', () => {
  test('accepts a complete setting of every kind', () => {
    const ok: Array<[DestinationKind, Record<string, unknown>]> = [
      ['http', { url: 'https://hooks.example.com/x', headers: { Authorization: 'Bearer t' } }],
      ['slack', { url: 'https://hooks.slack.com/services/T/B/X' }],
      ['nats', { url: 'nats://127.0.0.1:4222', subject: 'wharf.{phone_number_id}.{name}' }],
      ['rabbitmq', { url: 'amqps://u:p@mq.example.com', exchange: 'wharf', routing_key: '{name}' }],
      ['rabbitmq', { url: 'amqp://127.0.0.1', exchange: '' }],
      ['redis', { url: 'rediss://cache.example.com:6380', stream: 'wharf:{name}', max_len: 100000 }],
      [
        'email',
        {
          url: 'smtp://mail.example.com:587',
          to: ['ops@example.com', 'a@example.com'],
          from: 'wharf@example.com',
          subject: 'WhatsApp: {name}',
        },
      ],
      ['email', { url: 'smtps://mail.example.com', to: 'ops@example.com', from: 'wharf@example.com' }],
    ];
    for (const [kind, settings] of ok)
      assert.deepEqual(check(kind, settings), [], `${kind} ${JSON.stringify(settings)}`);
  });

  test('names each missing required field', () => {
    assert.deepEqual(check('http', {}), [{ field: 'url', message: 'is required' }]);
    assert.deepEqual(fields('nats', {}), ['url', 'subject']);
    assert.deepEqual(fields('rabbitmq', {}), ['url', 'exchange']);
    assert.deepEqual(fields('redis', {}), ['url', 'stream']);
    assert.deepEqual(fields('email', {}), ['url', 'to', 'from']);
  });

  test('http and slack need https:// unless private addresses are allowed', () => {
    assert.deepEqual(check('http', { url: 'http://127.0.0.1:8080/x' }), [
      { field: 'url', message: 'must be a https:// URL' },
    ]);
    assert.deepEqual(fields('slack', { url: 'http://hooks.slack.com/x' }), ['url']);
    assert.deepEqual(check('http', { url: 'http://127.0.0.1:8080/x' }, { allowPrivate: true }), []);
    assert.deepEqual(check('http', { url: 'ftp://x' }, { allowPrivate: true }), [
      { field: 'url', message: 'must be a https:// or http:// URL' },
    ]);
  });

  test('each broker kind takes only its own URL scheme', () => {
    assert.deepEqual(check('nats', { url: 'http://x', subject: 'a' }), [
      { field: 'url', message: 'must be a nats:// or tls:// URL' },
    ]);
    assert.deepEqual(check('rabbitmq', { url: 'redis://x', exchange: 'e' }), [
      { field: 'url', message: 'must be a amqp:// or amqps:// URL' },
    ]);
    assert.deepEqual(check('redis', { url: 'amqp://x', stream: 's' }), [
      { field: 'url', message: 'must be a redis:// or rediss:// URL' },
    ]);
    assert.deepEqual(check('email', { url: 'https://x', to: 'a@example.com', from: 'b@example.com' }), [
      { field: 'url', message: 'must be a smtp:// or smtps:// URL' },
    ]);
    assert.deepEqual(fields('redis', { url: 'not a url', stream: 's' }), ['url']);
  });

  test('refuses headers Wharf sets itself, naming the header', () => {
    assert.deepEqual(
      check('http', { url: 'https://x.example.com', headers: { 'Webhook-Signature': 'v1,x', Host: 'a' } }),
      [
        {
          field: 'headers.Webhook-Signature',
          message: 'Webhook-Signature is set by Wharf and cannot be replaced',
        },
        { field: 'headers.Host', message: 'Host is set by Wharf and cannot be replaced' },
      ],
    );
    assert.deepEqual(fields('http', { url: 'https://x.example.com', headers: { 'X-A': 5 } }), [
      'headers.X-A',
    ]);
    assert.deepEqual(fields('http', { url: 'https://x.example.com', headers: 'Authorization: x' }), [
      'headers',
    ]);
  });

  test('a template may hold only {name} and {phone_number_id}', () => {
    assert.deepEqual(check('redis', { url: 'redis://x', stream: 'wharf:{event}' }), [
      { field: 'stream', message: 'unknown placeholder {event}: use {name} or {phone_number_id}' },
    ]);
    assert.deepEqual(fields('rabbitmq', { url: 'amqp://x', exchange: 'e', routing_key: '{wamid}' }), [
      'routing_key',
    ]);
    assert.deepEqual(
      fields('email', { url: 'smtp://x', to: 'a@example.com', from: 'b@example.com', subject: '{x}' }),
      ['subject'],
    );
  });

  test('a NATS subject must be literal tokens once {name} is put in', () => {
    for (const subject of [
      'wharf.>',
      'wharf.*.{name}',
      'wharf..{name}',
      '.wharf',
      'wharf {name}',
      'wharf.{name}.',
    ])
      assert.deepEqual(fields('nats', { url: 'nats://x', subject }), ['subject'], subject);
    assert.match(check('nats', { url: 'nats://x', subject: 'wharf.>' })[0]!.message, /wildcards/);
  });

  test('redis max_len must be a positive whole number', () => {
    for (const max_len of [0, -1, 1.5, '100'])
      assert.deepEqual(
        fields('redis', { url: 'redis://x', stream: 's', max_len }),
        ['max_len'],
        String(max_len),
      );
  });

  test('email addresses are checked, one or a list', () => {
    assert.deepEqual(fields('email', { url: 'smtp://x', to: 'not-an-address', from: 'b@example.com' }), [
      'to',
    ]);
    assert.deepEqual(fields('email', { url: 'smtp://x', to: [], from: 'nobody' }), ['to', 'from']);
  });

  test('an unknown setting is named, so a typo never goes unnoticed', () => {
    assert.deepEqual(check('redis', { url: 'redis://x', stream: 's', maxlen: 5 }), [
      { field: 'maxlen', message: 'is not a setting of this kind' },
    ]);
  });

  test('database sinks take a mysql:// / mariadb:// or postgres:// URL and a plain table name', () => {
    assert.deepEqual(check('mysql', { url: 'mysql://u:p@db:3306/crm', table: 'wa_events' }), []);
    assert.deepEqual(check('mysql', { url: 'mariadb://db/crm', table: 'crm.wa_events' }), []);
    assert.deepEqual(check('postgres', { url: 'postgresql://db/crm', table: 'public.wa_events' }), []);
    assert.deepEqual(fields('mysql', { url: 'postgres://db/crm', table: 'x' }), ['url']);
    assert.deepEqual(fields('postgres', { url: 'postgres://db/crm' }), ['table']);
    // Quoted by the sink, so nothing but letters, digits and _ may ride in on a table name.
    for (const table of ['wa events', 'x; DROP TABLE y', 'a.b.c', '`x`', '"x"', '1abc', ''])
      assert.deepEqual(fields('postgres', { url: 'postgres://db/crm', table }), ['table'], table);
  });

  test('http may count a redirect as delivered (redirect_means_delivered), a boolean', () => {
    assert.deepEqual(
      check('http', { url: 'https://script.google.com/macros/s/x/exec', redirect_means_delivered: true }),
      [],
    );
    assert.deepEqual(fields('http', { url: 'https://x.example.com', redirect_means_delivered: 'yes' }), [
      'redirect_means_delivered',
    ]);
  });

  test('sms: the provider picks the settings; a missing or unknown provider is the one field named', () => {
    assert.deepEqual(fields('sms', { url: 'https://x.example.com' }), ['provider']);
    assert.deepEqual(fields('sms', { provider: 'nexmo' }), ['provider']);
    assert.deepEqual(
      fields('sms', {
        provider: 'http',
        url: 'https://sms.example.com',
        body: { to: '{{to}}', text: '{{text}}' },
      }),
      [],
    );
    assert.deepEqual(fields('sms', { provider: 'http', url: 'http://sms.example.com', body: {} }), ['url']);
    assert.deepEqual(
      fields('sms', {
        provider: 'twilio',
        account_sid: 'AC0123456789',
        auth_token: 't',
        from: '+15550001111',
      }),
      [],
    );
    assert.deepEqual(fields('sms', { provider: 'twilio', account_sid: 'AC0123456789', auth_token: 't' }), [
      'from',
    ]);
  });

  test('slack and email take dedupe_minutes (0 to a week) and all_updates', () => {
    assert.deepEqual(
      fields('slack', { url: 'https://hooks.example.com/x', dedupe_minutes: 15, all_updates: true }),
      [],
    );
    assert.deepEqual(fields('slack', { url: 'https://hooks.example.com/x', dedupe_minutes: -1 }), [
      'dedupe_minutes',
    ]);
    assert.deepEqual(fields('slack', { url: 'https://hooks.example.com/x', all_updates: 'yes' }), [
      'all_updates',
    ]);
  });

  test('parseKindSettings gives the typed settings', () => {
    const r = parseKindSettings('redis', { url: 'redis://x', stream: 's', max_len: 10 }, strict);
    assert.deepEqual(r, { ok: true, settings: { url: 'redis://x', stream: 's', max_len: 10 } });
    assert.equal(parseKindSettings('redis', {}, strict).ok, false);
  });
});
