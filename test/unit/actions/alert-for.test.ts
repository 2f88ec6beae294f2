import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alertFor, dashboardLink } from '../../../src/core/actions/alert-for.js';
import { describeEventForPerson } from '../../../src/core/describe-event-for-person.js';
import { destinationFailingEvent } from '../../../src/core/destinations/operational-event.js';
import type { AnyWharfEvent } from '../../../src/events/wharf-event.js';
import { eventsOf } from '../../helpers/fixtures.js';

const first = (fixture: string) => eventsOf(fixture)[0] as AnyWharfEvent;
const T = Date.UTC(2026, 0, 1, 9, 30);

describe('alertFor', () => {
  test('a failing destination says since when, when it will be disabled, and links to it', () => {
    const e = destinationFailingEvent(
      { destinationId: 'dst_1', destinationName: 'crm', failingSince: T, disableAt: T + 120 * 3_600_000 },
      T + 60 * 3_600_000,
    ) as AnyWharfEvent;
    const d = describeEventForPerson(e, { publicUrl: 'https://wharf.example.com/' });
    assert.equal(d.title, 'Destination crm has been failing since 2026-01-01 09:30 UTC');
    assert.ok(
      d.lines.includes('It will be disabled at 2026-01-06 09:30 UTC unless an attempt succeeds first.'),
    );
    assert.ok(d.lines.includes('Open in Wharf: https://wharf.example.com/ui/#/destinations/dst_1'));
  });

  test('media that could not be stored: why (Meta keeps it 7 days) and what to check', () => {
    const e = {
      name: 'wharf.media.failed',
      key: 'media:1',
      field: 'wharf',
      occurredAt: T,
      wabaId: '800000000000001',
      data: {
        mediaId: '1234',
        wamid: 'wamid.M1',
        phoneNumberId: '900',
        attempts: 5,
        error: 'Graph answered 401',
      },
      raw: null,
    } as unknown as AnyWharfEvent;
    const a = alertFor(e);
    assert.ok(a);
    assert.equal(a.title, 'Media 1234 could not be stored');
    assert.match(a.why, /7 days/);
    assert.match(a.todo, /WHATSAPP_ACCESS_TOKEN/);
    assert.equal(a.page, '/ui/#/messages/wamid.M1');
  });

  test('updates that need no one are not alerts', () => {
    for (const f of [
      'phone_number_quality_update/throughput-upgrade.json',
      'message_template_quality_update/yellow.json',
    ])
      assert.equal(alertFor(first(f)), null, f);
    assert.equal(alertFor(first('messages/text.json')), null);
  });

  test('keys name the situation: the same pause twice is one key, the second pause another', () => {
    const a = alertFor(first('message_template_status_update/paused.json'));
    const b = alertFor(first('message_template_status_update/second-pause.json'));
    assert.ok(a && b);
    assert.notEqual(a.key, b.key);
    assert.equal(a.key, alertFor(first('message_template_status_update/paused.json'))?.key);
  });

  test('no WHARF_PUBLIC_URL, no link', () => {
    assert.equal(dashboardLink(undefined, '/ui/#/templates'), null);
    assert.ok(
      !describeEventForPerson(first('message_template_status_update/paused.json')).text.includes(
        'Open in Wharf',
      ),
    );
  });
});
