/**
 * Destination transforms (docs/destinations.md, "Transforms"): a JSONata expression compiled once,
 * refused with JSONata's own reason and position when it does not compile, evaluated on the formatted
 * payload; a failing, runaway or too-deep expression fails that evaluation only, and a runaway one
 * hands the event loop back while it runs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { compileTransform, TransformError, TRANSFORM_LIMITS } from '../../../src/app/compile-transform.js';
import { transformMessage } from '../../../src/app/transform-message.js';
import { eventJson } from '../../../src/events/event-json.js';
import { formatMeta } from '../../../src/core/destinations/meta-envelope.js';
import { outboundMessage } from '../../helpers/outbound-message.js';

const compiled = (source: string) => {
  const c = compileTransform(source);
  assert.ok(c.ok, c.ok ? '' : c.message);
  return c.transform;
};

describe('compileTransform', () => {
  test('an expression that does not compile is refused with JSONata’s reason and where', () => {
    const c = compileTransform('{"records": [{"fields": {"Name": contact.name}]}');
    assert.equal(c.ok, false);
    assert.match(c.ok ? '' : c.message, /at character \d+ \[S0\d{3}\]$/);
    const unknownFunction = compileTransform('$nope(');
    assert.equal(unknownFunction.ok, false);
  });

  test('an Airtable body is made from an event’s JSON', async () => {
    const m = outboundMessage('messages/text.json');
    const payload = eventJson({ id: '7', event: m.event });
    const t = compiled(
      '{"records": [{"fields": {"Phone": contact.wa_id, "Name": contact.name, "Text": data.body, "At": occurred_at}}]}',
    );
    assert.deepEqual(JSON.parse(JSON.stringify(await t(payload))), {
      records: [
        {
          fields: {
            Phone: payload.contact?.wa_id,
            Name: payload.contact?.name,
            Text: (payload.data as { body: string }).body,
            At: payload.occurred_at,
          },
        },
      ],
    });
  });

  test('an expression failing on an event rejects with a TransformError naming JSONata’s error', async () => {
    const t = compiled('$number(name)');
    await assert.rejects(t({ name: 'message.text' }), (err: unknown) => {
      assert.ok(err instanceof TransformError);
      assert.match(err.message, /^transform failed on this event: .*\[D3030\]/);
      return true;
    });
    // The same expression on a payload it fits still works: the failure was that evaluation's only.
    assert.equal(await t({ name: '42' }), 42);
  });

  test('a runaway expression fails after the time limit, and the event loop keeps turning meanwhile', async () => {
    const t = compiled('($loop := function($i) { $i < 0 ? $i : $loop($i + 1) }; $loop(0))');
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      await assert.rejects(t({}), /transform ran longer than 250 ms on this event .*\[D1012\]/);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(turns > 0, 'timers ran while the expression was evaluated');
    assert.equal(TRANSFORM_LIMITS.timeoutMs, 250);
  });

  test('a sequence larger than the limit is refused, not built', async () => {
    const t = compiled('$count([1..20000000])');
    await assert.rejects(t({}), /range operator.*\[D2014\]/);
  });

  test('two evaluations at once keep their own clocks: a runaway does not fail a quick one', async () => {
    const t = compiled('slow ? ($loop := function($i) { $i < 0 ? $i : $loop($i + 1) }; $loop(0)) : "quick"');
    const [slow, quick] = await Promise.allSettled([t({ slow: true }), t({ slow: false })]);
    assert.equal(slow.status, 'rejected');
    assert.deepEqual(quick, { status: 'fulfilled', value: 'quick' });
  });
});

describe('transformMessage', () => {
  test('the result becomes the body, marked as transformed', async () => {
    const m = outboundMessage('messages/text.json');
    const out = await transformMessage(m, compiled('{"event": name}'), 'whsec_x');
    assert.equal(out.body, JSON.stringify({ event: m.name }));
    assert.equal(out.transformed, true);
    assert.equal(out.id, m.id, 'the webhook id stays');
  });

  test('an expression matching nothing fails the attempt rather than sending an empty body', async () => {
    await assert.rejects(
      transformMessage(outboundMessage(), compiled('no_such_field'), 'whsec_x'),
      /transform gave no result for this event/,
    );
  });

  test('format meta is signed again over the transformed body', async () => {
    const m = outboundMessage('messages/text.json');
    const secret = 'whsec_c2VjcmV0';
    const meta = formatMeta(m.event, secret);
    const out = await transformMessage(
      { ...m, body: meta.body, headers: meta.headers },
      compiled('{"changes": entry.changes.value.messages.id}'),
      secret,
    );
    const expected = createHmac('sha256', secret).update(out.body).digest('hex');
    assert.equal(out.headers['x-hub-signature-256'], `sha256=${expected}`);
    assert.notEqual(out.headers['x-hub-signature-256'], meta.headers['x-hub-signature-256']);
  });
});
