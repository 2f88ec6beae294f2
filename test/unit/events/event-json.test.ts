/* eslint-disable @typescript-eslint/no-explicit-any -- the JSON is read loosely; the assertions check its shape. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventJson, eventJsonPieces, eventJsonText } from '../../../src/events/event-json.js';
import { withRawText } from '../../../src/events/raw-text.js';
import { snakeCase, snakeCaseKeys } from '../../../src/events/snake-case-keys.js';
import type { AnyWharfEvent } from '../../../src/events/wharf-event.js';
import { eventsOf, fixturePaths } from '../../helpers/fixtures.js';

const json = (e: AnyWharfEvent) => eventJson({ id: '1', event: e }) as any;

/** Keys that are not snake_case, not looking inside raw or the objects kept as sent. */
function camelKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(camelKeys);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(/^[a-z0-9_]+$/.test(k) ? [] : [k]),
    ...(['raw', 'response', 'details', 'calling'].includes(k) ? [] : camelKeys(v)),
  ]);
}

describe("Wharf's event JSON", () => {
  test('snakeCase turns camelCase into snake_case and leaves snake_case alone', () => {
    assert.equal(snakeCase('phoneNumberId'), 'phone_number_id');
    assert.equal(snakeCase('maxDailyConversationsPerBusiness'), 'max_daily_conversations_per_business');
    assert.equal(snakeCase('message_template_id'), 'message_template_id');
    assert.equal(snakeCase('body'), 'body');
  });

  test('data keys are snake_case at every depth: context, referral, errors', () => {
    const [forwarded] = eventsOf('messages/text-forwarded.json');
    const data = json(forwarded as AnyWharfEvent).data;
    assert.equal(data.context.frequently_forwarded, (forwarded as any).data.context.frequentlyForwarded);
    assert.equal('frequentlyForwarded' in data.context, false);
    const [referral] = eventsOf('messages/text-referral.json');
    assert.deepEqual(
      Object.keys(json(referral as AnyWharfEvent).data.referral).filter((k) => /[A-Z]/.test(k)),
      [],
    );
    assert.ok('source_url' in json(referral as AnyWharfEvent).data.referral);
  });

  test('a BSUID-only sender shows from_user_id in data and user_id in contact', () => {
    const [e] = eventsOf('messages/bsuid-only.json');
    const out = json(e as AnyWharfEvent);
    assert.equal(out.data.from_user_id, (e as any).data.fromUserId);
    assert.equal(out.contact.user_id, e?.contact?.userId);
  });

  test('raw stays exactly as Meta sent it, keys included', () => {
    const [e] = eventsOf('messages/interactive-nfm-reply.json');
    const out = json(e as AnyWharfEvent);
    assert.equal(out.raw, e?.raw, 'the very same value, not a converted copy');
    assert.ok('response_json' in out.data, 'the camelCase responseJson is response_json in data');
  });

  test('objects kept as sent (a Flow response) keep their own keys', () => {
    const data = { name: 'flow', response: { guestCount: 4, flow_token: 't' }, responseJson: '{}' };
    assert.deepEqual(snakeCaseKeys(data), {
      name: 'flow',
      response: { guestCount: 4, flow_token: 't' },
      response_json: '{}',
    });
  });

  test('undefined members are dropped and arrays keep their order', () => {
    assert.deepEqual(snakeCaseKeys({ aB: undefined, list: [{ cD: 1 }, { cD: 2 }] }), {
      list: [{ c_d: 1 }, { c_d: 2 }],
    });
  });

  test('no event of any fixture has a camelCase key outside raw and the objects kept as sent', () => {
    for (const path of fixturePaths())
      for (const e of eventsOf(path)) assert.deepEqual(camelKeys(json(e)), [], `${path} ${e.name}`);
  });

  test('its pieces, joined as a writer joins them, are the JSON text, raw parsed or kept as text', () => {
    const joined = (p: ReturnType<typeof eventJsonPieces>) =>
      `${p.head.slice(0, -1)}${p.data === undefined ? '' : `,"data":${p.data}`}${p.raw === undefined ? '' : `,"raw":${p.raw}`}}`;
    const events = fixturePaths().flatMap((path) => eventsOf(path));
    const [first] = events as [AnyWharfEvent];
    events.push({ ...first, raw: undefined } as unknown as AnyWharfEvent);
    events.push({ ...first, data: undefined } as unknown as AnyWharfEvent);
    for (const [i, event] of events.entries()) {
      const stored = { id: String(i + 1), event };
      const text = JSON.stringify(eventJson(stored));
      assert.equal(joined(eventJsonPieces(stored)), text, `${event.name} (raw parsed)`);
      if (event.raw === undefined) continue;
      const { raw, ...rest } = event as AnyWharfEvent & { raw: unknown };
      const kept = { id: stored.id, event: withRawText(rest, JSON.stringify(raw)) as AnyWharfEvent };
      assert.equal(joined(eventJsonPieces(kept)), text, `${event.name} (raw kept as text)`);
      assert.equal(eventJsonText(kept), text);
    }
  });
});
