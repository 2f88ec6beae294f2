import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  natsSubjectProblem,
  renderDestinationTemplate,
  templateProblem,
} from '../../../../src/core/destinations/render-destination-template.js';

describe('destination templates', () => {
  test('put in the event name and the phone number id', () => {
    assert.equal(
      renderDestinationTemplate('wharf.{phone_number_id}.{name}', {
        name: 'status.failed',
        phoneNumberId: '900000000000001',
      }),
      'wharf.900000000000001.status.failed',
    );
  });
  test('an event without a phone number id (a template event) gets "none"', () => {
    assert.equal(
      renderDestinationTemplate('{phone_number_id}/{name}', { name: 'template.status', phoneNumberId: null }),
      'none/template.status',
    );
  });
  test('leave any other text alone', () => {
    assert.equal(
      renderDestinationTemplate('wharf-events', { name: 'x', phoneNumberId: null }),
      'wharf-events',
    );
  });
  test('templateProblem names an unknown placeholder', () => {
    assert.equal(templateProblem('a.{name}.{phone_number_id}'), null);
    assert.match(templateProblem('a.{contact}') ?? '', /unknown placeholder \{contact\}/);
  });
  test('natsSubjectProblem accepts dotted event names as tokens and refuses wildcards and empty tokens', () => {
    assert.equal(natsSubjectProblem('wharf.status.failed'), null);
    assert.match(natsSubjectProblem('wharf.>') ?? '', /wildcards/);
    assert.match(natsSubjectProblem('wharf..x') ?? '', /empty token/);
    assert.match(natsSubjectProblem('wharf x') ?? '', /whitespace/);
    assert.match(natsSubjectProblem('') ?? '', /empty/);
  });
});
