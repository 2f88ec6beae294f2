import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeDelivery } from '../../../src/core/normalize-delivery.js';
import { parseDelivery } from '../../../src/core/parse-delivery.js';
import type { AnyWharfEvent, WharfEvent } from '../../../src/events/wharf-event.js';
import type { EventName } from '../../../src/events/event-names.js';
import { eventsOf, fixtureJson } from '../../helpers/fixtures.js';
import { envelope } from '../../helpers/webhook-bodies.js';

function only<N extends EventName>(events: readonly AnyWharfEvent[], name: N): WharfEvent<N>[] {
  return events.filter((e): e is AnyWharfEvent & WharfEvent<N> => e.name === name) as WharfEvent<N>[];
}
function one<N extends EventName>(path: string, name: N): WharfEvent<N> {
  const found = only(eventsOf(path), name);
  assert.equal(found.length, 1, `${path} has one ${name}`);
  return found[0] as WharfEvent<N>;
}
function normalizeJson(value: unknown): readonly AnyWharfEvent[] {
  const r = parseDelivery(JSON.stringify(value));
  assert.ok(r.ok);
  return normalizeDelivery(r.envelope);
}

describe('normalizeDelivery: inbound messages', () => {
  test('a text message carries its WABA, phone number, contact, wamid, time and key', () => {
    const e = one('messages/text.json', 'message.text');
    assert.equal(e.key, 'msg:900000000000001:wamid.EXAMPLETXT1');
    assert.equal(e.field, 'messages');
    assert.equal(e.wabaId, '800000000000001');
    assert.equal(e.phoneNumberId, '900000000000001');
    assert.equal(e.displayPhoneNumber, '15551230000');
    assert.equal(e.wamid, 'wamid.EXAMPLETXT1');
    assert.equal(e.occurredAt, 1767225600000);
    assert.equal(e.data.body, 'Do you deliver on Sundays?');
    assert.equal(e.contact?.waId, '447700900123');
    assert.equal(e.contact?.userId, 'GB.4829103748291037482');
    assert.equal(e.contact?.name, 'Ana Ruiz');
  });

  test("carries the sender's identity_key_hash from contacts[] (identity change check, reference §4.19)", () => {
    const e = one('messages/text-identity-key-hash.json', 'message.text');
    assert.equal(e.data.identityKeyHash, 'aWRlbnRpdHlLZXlIYXNoRVhBTVBMRQ==');
    assert.equal(one('messages/text.json', 'message.text').data.identityKeyHash, undefined);
  });

  test('joins contacts to messages by id, never by position', () => {
    const texts = only(eventsOf('messages/batch-mixed.json'), 'message.text');
    const byBody = Object.fromEntries(texts.map((e) => [e.data.body, e.contact?.name]));
    assert.deepEqual(byBody, { 'Ana here': 'Ana Ruiz', 'Ben here': 'Ben' });
  });

  test('a BSUID-only sender keeps user id, parent user id and username without a phone', () => {
    const e = one('messages/bsuid-only.json', 'message.text');
    assert.deepEqual(
      { ...e.contact },
      {
        waId: undefined,
        userId: 'GB.4829103748291037482',
        parentUserId: 'GB.ENT.9182736450192837465',
        username: '@anaruiz',
        name: 'Ana',
      },
    );
  });

  test('a contact without profile still joins and gives the phone', () => {
    const e = one('messages/contact-without-profile.json', 'message.text');
    assert.equal(e.contact?.waId, '447700900123');
    assert.equal(e.contact?.name, undefined);
  });

  test('accepts numbers given as strings and timestamps given as numbers', () => {
    const e = one('messages/location-numbers-as-strings.json', 'message.location');
    assert.equal(e.data.latitude, 51.5014);
    assert.equal(e.data.longitude, -0.1419);
    assert.equal(e.occurredAt, 1767225602000);
    const order = one('messages/order.json', 'message.order');
    assert.deepEqual(
      order.data.items.map((i) => [i.quantity, i.itemPrice]),
      [
        [2, 12.5],
        [1, 3.99],
      ],
    );
  });

  test('maps interactive subtypes to their own events and parses the Flow response JSON', () => {
    assert.equal(
      one('messages/interactive-button-reply.json', 'message.button_reply').data.id,
      'yes_confirm',
    );
    assert.equal(
      one('messages/interactive-list-reply.json', 'message.list_reply').data.description,
      'Tomorrow morning',
    );
    const nfm = one('messages/interactive-nfm-reply.json', 'message.nfm_reply');
    assert.deepEqual(nfm.data.response, { flow_token: 'tok-123', date: '2026-01-10', guests: '4' });
    assert.equal(nfm.data.context?.id, 'wamid.EXAMPLEFLOW0');
    const cpr = one('messages/interactive-call-permission-reply.json', 'message.call_permission_reply');
    assert.equal(cpr.data.response, 'accept');
    assert.equal(cpr.data.expiresAt, 1767830400000);
  });

  test('an unknown type or interactive subtype becomes message.unknown with the reason and raw item', () => {
    const e = one('messages/new-type.json', 'message.unknown');
    assert.equal(e.data.type, 'poll_vote');
    assert.match(e.data.reason, /poll_vote/);
    assert.deepEqual((e.raw as { poll_vote: unknown }).poll_vote, { poll_id: 'p1', option: 'B' });
    assert.equal(e.key, 'msg:900000000000001:wamid.EXAMPLENEW1');
    const sub = one('messages/interactive-unknown-subtype.json', 'message.unknown');
    assert.equal(sub.data.type, 'interactive.carousel_reply');
  });

  test('a reaction without emoji is a removal', () => {
    assert.equal(one('messages/reaction-removed.json', 'message.reaction').data.removed, true);
    const added = one('messages/reaction.json', 'message.reaction');
    assert.equal(added.data.removed, false);
    assert.equal(added.data.emoji, '👍');
  });

  test('edits carry the new content; edits delivered as unsupported keep their type', () => {
    const edit = one('messages/edit.json', 'message.edit');
    assert.equal(edit.data.originalMessageId, 'wamid.EXAMPLETXT1');
    assert.deepEqual(edit.data.message, { kind: 'text', body: 'Do you deliver on Saturdays?' });
    const uns = one('messages/unsupported-edit.json', 'message.unsupported');
    assert.equal(uns.data.unsupportedType, 'edit');
    assert.equal(uns.data.errors[0]?.code, 131051);
  });

  test('system messages read the current and the legacy number-change shapes', () => {
    assert.equal(one('messages/system-changed-number.json', 'message.system').data.waId, '447700900999');
    const legacy = one('messages/system-legacy-customer-changed-number.json', 'message.system');
    assert.equal(legacy.data.systemType, 'customer_changed_number');
    assert.equal(legacy.data.waId, '447700900999');
    const uid = one('messages/system-changed-user-id.json', 'message.system');
    assert.equal(uid.data.userId, 'GB.7711223344556677889');
    assert.equal(uid.contact?.userId, 'GB.4829103748291037482');
  });

  test('referral, referred product, forwarding and group id are part of the message data', () => {
    const ad = one('messages/text-referral.json', 'message.text');
    assert.equal(ad.data.referral?.ctwaClid, 'AfcEXAMPLECLID');
    assert.equal(ad.data.referral?.welcomeMessageText, 'Hello! How can we help?');
    const product = one('messages/text-referred-product.json', 'message.text');
    assert.equal(product.data.context?.referredProduct?.productRetailerId, 'SKU-881');
    assert.equal(one('messages/text-forwarded.json', 'message.text').data.context?.forwarded, true);
    assert.equal(one('messages/group-message.json', 'message.text').data.groupId, 'Y2FwaV9ncm91cDpFWEFNUExF');
  });

  test('media messages expose id, mime type, url, caption, voice flag and filename', () => {
    const audio = one('messages/audio-voice.json', 'message.audio');
    assert.equal(audio.data.media.voice, true);
    assert.equal(audio.data.media.mimeType, 'audio/ogg; codecs=opus');
    assert.equal(one('messages/document.json', 'message.document').data.media.filename, 'invoice.pdf');
    assert.equal(one('messages/image.json', 'message.image').data.media.caption, 'My receipt');
  });
});

describe('normalizeDelivery: statuses', () => {
  test('status keys are wamid + status, and group statuses add the participant', () => {
    assert.equal(one('messages/status-sent.json', 'status.sent').key, 'status:wamid.EXAMPLEOUT1:sent');
    const group = only(eventsOf('messages/status-group-delivered.json'), 'status.delivered');
    assert.deepEqual(
      group.map((e) => [e.key, e.contact?.name]),
      [
        ['status:wamid.EXAMPLEGRP1:delivered:GB.4829103748291037482', 'Ana'],
        ['status:wamid.EXAMPLEGRP1:delivered:GB.1029384756102938475', 'Ben'],
      ],
    );
  });

  test('accepts both spellings of the parent recipient user id', () => {
    for (const f of [
      'messages/status-parent-old-spelling.json',
      'messages/status-parent-new-spelling.json',
    ]) {
      const e = one(f, 'status.delivered');
      assert.equal(e.data.recipientParentUserId, 'GB.ENT.9182736450192837465');
      assert.equal(e.contact?.parentUserId, 'GB.ENT.9182736450192837465');
    }
  });

  test('pricing, conversation and callback data are typed; category spellings are unified', () => {
    const sent = one('messages/status-sent.json', 'status.sent');
    assert.equal(sent.data.bizOpaqueCallbackData, 'campaign-17');
    assert.deepEqual(
      { ...sent.data.pricing },
      { billable: true, pricingModel: 'PMP', type: 'regular', category: 'marketing' },
    );
    const auth = one('messages/status-authentication-international.json', 'status.sent');
    assert.equal(auth.data.pricing?.category, 'authentication_international');
    assert.equal(auth.data.conversation?.originType, 'authentication_international');
    const fep = one('messages/status-free-entry-point.json', 'status.sent');
    assert.equal(fep.data.conversation?.expiresAt, 1767484800000);
  });

  test('a failed status carries its errors and no contact list', () => {
    const e = one('messages/status-failed.json', 'status.failed');
    assert.equal(e.data.errors[0]?.code, 131026);
    assert.equal(e.data.errors[0]?.details, 'Message Undeliverable.');
    assert.equal(e.contact?.waId, '447700900123');
  });

  test('unknown statuses become status.unknown with the value kept', () => {
    const events = only(eventsOf('messages/status-unknown.json'), 'status.unknown');
    assert.deepEqual(
      events.map((e) => e.data.status),
      ['deleted', 'warning'],
    );
    assert.match(events[0]?.data.reason ?? '', /deleted/);
  });

  test('walks all 1,000 statuses of one delivery', () => {
    const events = eventsOf('messages/batch-1000-statuses.json');
    assert.equal(events.length, 1000);
    assert.equal(new Set(events.map((e) => e.key)).size, 1000);
  });
});

describe('normalizeDelivery: batching and tolerance', () => {
  test('walks every entry, change and item of a batched delivery', () => {
    const events = eventsOf('messages/batch-multi-entry.json');
    assert.deepEqual(
      events.map((e) => [e.name, e.wabaId, e.phoneNumberId]),
      [
        ['message.text', '800000000000001', '900000000000001'],
        ['message.text', '800000000000002', '900000000000002'],
        ['template.status', '800000000000003', undefined],
      ],
    );
    assert.equal(eventsOf('messages/batch-multi-change.json').length, 4);
  });

  test('garbage inside entries yields unknown events and the rest is still normalized', () => {
    const events = eventsOf('messages/batch-malformed-entries.json');
    assert.deepEqual(
      events.map((e) => e.name),
      ['unknown', 'unknown', 'unknown', 'unknown', 'message.text'],
    );
    const reasons = events
      .filter((e) => e.name === 'unknown')
      .map((e) => (e.data as { reason: string }).reason);
    assert.deepEqual(reasons, [
      'entry is not an object',
      'entry has no changes array',
      'change is not an object',
      'value of field "messages" is not an object',
    ]);
  });

  test('malformed items become message.unknown / status.unknown, one each', () => {
    const names = eventsOf('messages/batch-malformed-items.json').map((e) => e.name);
    assert.deepEqual(names, [
      'message.text',
      'message.unknown',
      'message.unknown',
      'message.unknown',
      'status.unknown',
      'status.delivered',
    ]);
  });

  test('an unknown webhook field becomes one unknown event with the raw change', () => {
    const [e] = eventsOf('unknown/tracking-events.json');
    assert.equal(e?.name, 'unknown');
    assert.equal(e?.field, 'tracking_events');
    assert.equal(e?.occurredAt, 1767225600000);
    assert.deepEqual((e?.raw as { value: unknown }).value, { event: 'LINK_CLICK', tracking_id: 'trk-1' });
  });

  test('the same item in two different deliveries gets the same key', () => {
    const single = eventsOf('messages/text.json')[0];
    const delivery = fixtureJson('messages/batch-mixed.json') as {
      entry: { changes: { value: { messages: unknown[] } }[] }[];
    };
    const text = fixtureJson('messages/text.json') as typeof delivery;
    delivery.entry[0]?.changes[0]?.value.messages.push(text.entry[0]?.changes[0]?.value.messages[0]);
    const again = normalizeJson(delivery).find((e) => e.wamid === 'wamid.EXAMPLETXT1');
    assert.equal(again?.key, single?.key);
    for (const f of [
      'template_category_update/impending.json',
      'history/declined.json',
      'group_lifecycle_update/create.json',
    ]) {
      assert.deepEqual(
        eventsOf(f).map((e) => e.key),
        normalizeJson(fixtureJson(f)).map((e) => e.key),
      );
    }
  });

  test('an item without its own time falls back to entry.time, then to null', () => {
    assert.equal(eventsOf('messages/value-errors.json')[0]?.occurredAt, null);
    const tpl = eventsOf('message_template_status_update/numbers-as-strings.json')[0];
    assert.equal(tpl?.occurredAt, 1767225600000);
  });

  test('values that are Object.prototype member names are unknown values, not lookups', () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
    const events = normalizeJson({
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: { statuses: names.map((status, i) => ({ id: `wamid.${i}`, status })) },
            },
            { field: 'messages', value: { messages: names.map((type, i) => ({ id: `wamid.m${i}`, type })) } },
            { field: 'group_status_update', value: { groups: names.map((type) => ({ type })) } },
            ...names.map((field) => ({ field, value: {} })),
          ],
        },
      ],
    });
    assert.deepEqual(
      events.map((e) => e.name),
      [
        ...names.map(() => 'status.unknown'),
        ...names.map(() => 'message.unknown'),
        ...names.map(() => 'unknown'),
        ...names.map(() => 'unknown'),
      ],
    );
  });

  test('never throws on values of the wrong type anywhere', () => {
    const weird = [
      null,
      1,
      'x',
      [],
      {},
      { entry: null },
      { entry: [null, [], { changes: [{ field: 1, value: [] }] }] },
    ];
    for (const entry of weird) {
      assert.doesNotThrow(() => normalizeDelivery({ object: undefined, entry: [entry] }));
    }
    assert.doesNotThrow(() => normalizeDelivery(null as never));
  });

  test('values no store can hold are made storable: U+0000 becomes U+FFFD, a time past 2^53 ms is no time, a code that is not a whole 32-bit number is null; raw keeps them', () => {
    const metadata = { display_phone_number: '15551230000', phone_number_id: '900000000000001' };
    const events = normalizeJson({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '800000000000001',
          time: 1e20,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata,
                messages: [
                  {
                    from: '4477\u0000',
                    id: 'wamid.N\u0000',
                    timestamp: '1e300',
                    type: 'text',
                    text: { body: 'a\u0000b' },
                  },
                ],
                statuses: [
                  {
                    id: 'wamid.F',
                    status: 'failed',
                    timestamp: '99999999999999999999',
                    recipient_id: '447700900123',
                    errors: [{ code: 131026.5 }, { code: 1e20 }, { code: '131026' }],
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const text = only(events, 'message.text')[0];
    assert.equal(text?.data.body, 'a\ufffdb');
    assert.equal(text?.wamid, 'wamid.N\ufffd');
    assert.equal(text?.contact?.waId, '4477\ufffd');
    assert.equal(text?.occurredAt, null);
    assert.ok(!text?.key.includes('\u0000'));
    assert.equal((text?.raw as { text: { body: string } }).text.body, 'a\u0000b');
    const failed = only(events, 'status.failed')[0];
    assert.equal(failed?.occurredAt, null);
    assert.deepEqual(
      failed?.data.errors.map((e) => e.code),
      [null, null, 131026],
    );
  });

  test('a time past year 9999 is no time, so every time read back is a date (one past the largest Date made the API answer 500)', () => {
    const at = (timestamp: unknown) =>
      normalizeJson(
        JSON.parse(
          envelope('messages', {
            messages: [{ from: '1', id: 'w', timestamp, type: 'text', text: { body: 'x' } }],
          }),
        ),
      )[0]?.occurredAt;
    assert.equal(at('99999999999'), 99_999_999_999_000);
    assert.equal(at(253_402_300_799_999), 253_402_300_799_999);
    assert.equal(at(253_402_300_800_000), null);
    assert.equal(at(8_640_000_000_000_001), null);
    assert.equal(at('8639999999999999'), null);
  });

  test('a lone surrogate (escaped \\ud800 in the JSON) becomes U+FFFD, so keys and ids are the same in memory, in either store and in every handler; raw keeps it', () => {
    const events = normalizeJson(
      JSON.parse(
        '{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"900000000000001"},"contacts":[{"wa_id":"4477\\udc00","profile":{"name":"Ana \\ud800"}}],"messages":[{"from":"4477\\udc00","id":"wamid.S\\ud800","timestamp":"1767225600","type":"text","text":{"body":"a\\udbffb"}}]}}]}]}',
      ),
    );
    const text = only(events, 'message.text')[0];
    assert.equal(text?.wamid, 'wamid.S\ufffd');
    assert.equal(text?.key, 'msg:900000000000001:wamid.S\ufffd');
    assert.equal(text?.contact?.waId, '4477\ufffd');
    assert.equal(text?.contact?.name, 'Ana \ufffd');
    assert.equal(text?.data.body, 'a\ufffdb');
    assert.equal((text?.raw as { id: string }).id, 'wamid.S\ud800');
  });
});

describe('normalizeDelivery: management and other fields', () => {
  test('template status: id as string, event, reason and pause info', () => {
    const e = one('message_template_status_update/paused.json', 'template.status');
    assert.equal(e.data.templateId, '1234567890123456');
    assert.equal(e.data.event, 'PAUSED');
    assert.equal(e.data.otherInfo?.title, 'FIRST_PAUSE');
    assert.ok(
      e.key.startsWith(
        'message_template_status_update:800000000000001:1234567890123456:PAUSED:1767225600000:h',
      ),
      e.key,
    );
    const s = one('message_template_status_update/numbers-as-strings.json', 'template.status');
    assert.equal(s.data.templateId, '1234567890123456');
    assert.equal(s.data.reason, null);
    assert.equal(s.data.disableDate, 1767312000000);
  });

  test('account_update: each event of the reference table is read into its typed fields, the rest kept in details', () => {
    const data = (file: string) => one(`account_update/${file}`, 'account.update').data;
    assert.equal(data('violation.json').violationType, 'ADULT');
    assert.deepEqual(data('partner-client-certification-status.json').certification, {
      clientBusinessId: '300000000000009',
      status: 'REJECTED',
      rejectionReasons: ['LEGAL NAME NOT MATCHING', 'WEBSITE NOT MATCHING'],
    });
    assert.equal(
      data('partner-client-certification-needed.json').certification?.clientBusinessId,
      '300000000000009',
    );
    assert.equal(data('country-update.json').country, 'BR');
    assert.deepEqual(
      data('auth-intl-price-eligibility.json').details['auth_international_rate_eligibility'],
      {
        start_time: 1767225600,
        exception_countries: [{ country_code: 'IN', start_time: 1769904000 }],
      },
    );
    const linked = data('ad-account-linked.json');
    assert.equal(linked.wabaInfo?.ownerBusinessId, '300000000000009');
    assert.equal(
      (linked.details['waba_info'] as { ad_account_linked?: string }).ad_account_linked,
      'act_500000000000001',
    );
    assert.equal(data('offboarded.json').event, 'ACCOUNT_OFFBOARDED');
    const restriction = data('restriction.json').restrictions[0];
    assert.equal(restriction?.type, 'RESTRICTED_BIZ_INITIATED_MESSAGING');
    assert.equal(restriction?.expiresAt, 1767830400000);
  });

  test('two different changes of one field sharing entry.time get different keys; a redelivery keeps them', () => {
    const installs = only(eventsOf('account_update/partner-apps-installed.json'), 'account.update');
    assert.deepEqual(
      installs.map((e) => e.data.wabaInfo?.partnerAppId),
      ['610000000000001', '610000000000002'],
    );
    assert.notEqual(installs[0]?.key, installs[1]?.key);
    const again = only(eventsOf('account_update/partner-apps-installed.json'), 'account.update');
    assert.deepEqual(
      again.map((e) => e.key),
      installs.map((e) => e.key),
    );
    const capability = normalizeJson({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '800000000000001',
          time: 1767225600,
          changes: [
            { field: 'business_capability_update', value: { max_phone_numbers_per_waba: 25 } },
            {
              field: 'business_capability_update',
              value: { max_daily_conversations_per_business: 'TIER_10K' },
            },
          ],
        },
      ],
    });
    assert.equal(new Set(capability.map((e) => e.key)).size, 2);
  });

  test('template category tells the impending warning from the completed change', () => {
    assert.equal(one('template_category_update/impending.json', 'template.category').data.phase, 'impending');
    assert.equal(one('template_category_update/completed.json', 'template.category').data.phase, 'completed');
  });

  test('number-scoped fields route by display number; + is stripped', () => {
    const q = one('phone_number_quality_update/legacy-downgrade.json', 'phone_number.quality');
    assert.equal(q.displayPhoneNumber, '15551230000');
    assert.equal(q.data.event, 'DOWNGRADE');
    assert.equal(
      one('business_username_update/plural-field-deleted.json', 'business.username').data.status,
      'deleted',
    );
  });

  test('business capability keeps tiers as strings and counts as numbers', () => {
    assert.equal(
      one('business_capability_update/tier.json', 'business.capability').data
        .maxDailyConversationsPerBusiness,
      'TIER_10K',
    );
    const n = one('business_capability_update/number.json', 'business.capability');
    assert.equal(n.data.maxDailyConversationsPerBusiness, 2000);
    assert.equal(n.data.maxPhoneNumbersPerBusiness, 2);
  });

  test('user preferences: one event per item, with the contact', () => {
    const events = only(eventsOf('user_preferences/stop-and-resume.json'), 'user.preferences');
    assert.deepEqual(
      events.map((e) => [e.data.value, e.contact?.userId, e.occurredAt]),
      [
        ['stop', 'GB.4829103748291037482', 1767225600000],
        ['resume', 'GB.1029384756102938475', 1767225660000],
      ],
    );
  });

  test('user id update gives previous and current BSUID', () => {
    const e = one('user_id_update/changed.json', 'user.id_update');
    assert.equal(e.data.previousUserId, 'GB.4829103748291037482');
    assert.equal(e.data.currentUserId, 'GB.7711223344556677889');
    assert.equal(e.contact?.name, 'Ana');
  });

  test('history: a business message to a BSUID-only user (to_user_id, no to) is outbound', () => {
    const [out, back] = only(eventsOf('history/chunk-bsuid-only.json'), 'history.message');
    assert.equal(out?.data.direction, 'outbound');
    assert.equal(out?.data.toUserId, 'GB.4829103748291037482');
    assert.equal(out?.contact?.userId, 'GB.4829103748291037482');
    assert.equal(back?.data.direction, 'inbound');
  });

  test('history: thread messages carry chunk info, direction and thread contact', () => {
    const [out, media] = only(eventsOf('history/chunk.json'), 'history.message');
    assert.equal(out?.data.direction, 'outbound');
    assert.equal(out?.data.historyStatus, 'READ');
    assert.equal(out?.data.chunkOrder, 3);
    assert.equal(out?.contact?.userId, 'GB.4829103748291037482');
    assert.equal(media?.data.content.kind, 'media_placeholder');
    const follow = only(eventsOf('history/media-follow-up.json'), 'history.message');
    assert.deepEqual(
      follow.map((e) => [e.data.source, e.data.direction, e.data.content.kind]),
      [
        ['media', 'inbound', 'image'],
        ['media', 'outbound', 'document'],
      ],
    );
    assert.equal(one('history/declined.json', 'history.error').data.error.code, 2593109);
    assert.equal(one('history/empty-chunk.json', 'history.chunk').data.progress, 100);
  });

  test('echoes are about their recipient and carry typed content', () => {
    const e = one('smb_message_echoes/text.json', 'echo.message');
    assert.equal(e.key, 'echo:900000000000001:wamid.EXAMPLEECHO1');
    assert.equal(e.contact?.userId, 'GB.4829103748291037482');
    assert.deepEqual(e.data.content, { kind: 'text', body: 'On my way!' });
    const [revoke, edit] = only(eventsOf('smb_message_echoes/revoke-and-edit.json'), 'echo.message');
    assert.equal(revoke?.data.content.kind, 'revoke');
    assert.equal(edit?.data.content.kind === 'edit' && edit.data.content.message.kind, 'image');
  });

  test('calls: connect/terminate by event, call statuses, the caller as contact', () => {
    const t = one('calls/terminate.json', 'call.terminate');
    assert.equal(t.data.durationSeconds, 90);
    assert.equal(t.data.startedAt, 1767225610000);
    assert.equal(t.contact?.name, 'Ana');
    assert.equal(t.key, 'call:wacid.EXAMPLECALL1:terminate');
    const statuses = only(eventsOf('calls/status.json'), 'call.status');
    assert.deepEqual(
      statuses.map((s) => s.data.status),
      ['RINGING', 'ACCEPTED'],
    );
  });

  test('groups: each item is named by its type, legacy spellings included', () => {
    const rm = one('group_participants_update/remove-legacy-spelling.json', 'group.participants_remove');
    assert.equal(rm.field, 'group_participant_update');
    assert.equal(rm.data.failed[0]?.errors[0]?.code, 131009);
    assert.equal(one('group_participants_update/add.json', 'group.participants_add').data.added.length, 2);
    const unknown = eventsOf('group_status_update/unknown-type.json')[0];
    assert.match((unknown?.data as { reason: string }).reason, /group_archived/);
  });

  test('handover uses the recipient number; standby yields one event per copied item', () => {
    const h = one('messaging_handovers/control-passed.json', 'handover');
    assert.equal(h.phoneNumberId, '900000000000001');
    assert.equal(h.data.newOwnerRole, 'customer_service');
    assert.equal(h.data.summary, 'Customer wants to change a delivery address.');
    const kinds = only(eventsOf('standby/message.json'), 'standby').map((e) => e.data.kind);
    assert.deepEqual(kinds, ['message', 'status', 'echo']);
  });

  test('an unknown status of a group send keeps one key per participant', () => {
    const status = (user: string) => ({
      id: 'wamid.EXAMPLEGRP1',
      status: 'seen',
      timestamp: '1767225630',
      recipient_id: 'Y2FwaV9ncm91cDpFWEFNUExF',
      recipient_type: 'group',
      recipient_participant_user_id: user,
    });
    const events = normalizeJson(
      JSON.parse(
        envelope('messages', {
          metadata: { phone_number_id: '900000000000001' },
          statuses: [status('GB.4829103748291037482'), status('GB.1029384756102938475')],
        }),
      ),
    );
    assert.deepEqual(
      events.map((e) => [e.name, e.contact?.userId]),
      [
        ['status.unknown', 'GB.4829103748291037482'],
        ['status.unknown', 'GB.1029384756102938475'],
      ],
    );
    assert.equal(new Set(events.map((e) => e.key)).size, 2);
  });

  test('a standby copy of a group status is about its participant, one key per participant', () => {
    const copies = only(eventsOf('standby/group-statuses.json'), 'standby');
    assert.equal(new Set(copies.map((e) => e.key)).size, 2);
    assert.deepEqual(
      copies.map((e) => [e.contact?.userId, e.contact?.waId, e.contact?.name]),
      [
        ['GB.4829103748291037482', undefined, 'Ana'],
        ['GB.1029384756102938475', undefined, 'Ben'],
      ],
    );
  });

  test('automatic events convert custom_data.value (amount × 1000)', () => {
    const [purchase] = only(eventsOf('automatic_events/purchase.json'), 'automatic.event');
    assert.equal(purchase?.data.amount, 49.99);
    assert.equal(purchase?.data.currency, 'EUR');
  });

  test('partner solutions use the business portfolio id as entry id', () => {
    assert.equal(one('partner_solutions/updated.json', 'partner.solution').wabaId, '300000000000009');
  });
});
