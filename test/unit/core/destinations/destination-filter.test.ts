import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationWants, eventErrorCodes } from '../../../../src/core/destinations/destination-filter.js';
import { parseDelivery } from '../../../../src/core/parse-delivery.js';
import { normalizeDelivery } from '../../../../src/core/normalize-delivery.js';
import { PNID, WABA, statusDelivery, textDelivery } from '../../../helpers/webhook-bodies.js';
import type { AnyWharfEvent } from '../../../../src/events/wharf-event.js';

function one(body: string): AnyWharfEvent {
  const p = parseDelivery(body);
  assert.ok(p.ok);
  return normalizeDelivery(p.envelope)[0] as AnyWharfEvent;
}

const text = one(textDelivery('wamid.T', 1767225600, 'hi'));
const failed = one(statusDelivery({ wamid: 'wamid.F', status: 'failed', ts: 1767225600, errorCode: 131026 }));
const windowClosed = one(
  statusDelivery({ wamid: 'wamid.W', status: 'failed', ts: 1767225600, errorCode: 131047 }),
);
const operational = { ...text, name: 'wharf.dead_letter' } as unknown as AnyWharfEvent;

describe('destinationWants (design §7.2 filter)', () => {
  test('no filter: every event but Wharf’s own wharf.* ones', () => {
    assert.equal(destinationWants({}, text), true);
    assert.equal(destinationWants({}, failed), true);
    assert.equal(destinationWants({}, operational), false);
  });

  test('events: exact names and prefixes ending in "."; wharf.* only when named', () => {
    assert.equal(destinationWants({ events: ['message.'] }, text), true);
    assert.equal(destinationWants({ events: ['message.'] }, failed), false);
    assert.equal(destinationWants({ events: ['status.failed'] }, failed), true);
    assert.equal(destinationWants({ events: ['status.fail'] }, failed), false, 'a prefix must end in a dot');
    assert.equal(destinationWants({ events: ['wharf.'] }, operational), true);
  });

  test('phone numbers and WABAs', () => {
    assert.equal(destinationWants({ phoneNumberIds: [PNID] }, text), true);
    assert.equal(destinationWants({ phoneNumberIds: ['1'] }, text), false);
    assert.equal(destinationWants({ wabaIds: [WABA] }, text), true);
    assert.equal(destinationWants({ wabaIds: ['1'] }, text), false);
  });

  test('error codes and error actions (from the error policy); an event without errors matches neither', () => {
    assert.deepEqual(eventErrorCodes(failed), [131026]);
    assert.equal(destinationWants({ errorCodes: [131026] }, failed), true);
    assert.equal(destinationWants({ errorCodes: [131026] }, windowClosed), false);
    assert.equal(destinationWants({ errorActions: ['fallback'] }, failed), true);
    assert.equal(destinationWants({ errorActions: ['fallback'] }, windowClosed), false);
    assert.equal(destinationWants({ errorActions: ['send_template'] }, windowClosed), true);
    assert.equal(destinationWants({ errorCodes: [131026] }, text), false);
  });

  test('every given condition must hold', () => {
    assert.equal(
      destinationWants(
        { events: ['status.failed'], errorActions: ['fallback'], phoneNumberIds: [PNID] },
        failed,
      ),
      true,
    );
    assert.equal(
      destinationWants(
        { events: ['status.failed'], errorActions: ['fallback'], phoneNumberIds: ['1'] },
        failed,
      ),
      false,
    );
  });
});
