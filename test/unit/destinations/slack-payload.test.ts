import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { slackPayload } from '../../../src/adapters/destinations/slack.js';
import type { AnyWharfEvent } from '../../../src/events/wharf-event.js';
import { eventsOf } from '../../helpers/fixtures.js';

describe('slackPayload', () => {
  test('has a plain-text fallback and Block Kit blocks written for a person', () => {
    const e = eventsOf('messages/status-failed.json')[0] as AnyWharfEvent;
    const p = slackPayload(e);
    assert.match(p.text, /^Message to \+447700900123 failed\n/);
    assert.deepEqual(p.blocks[0], {
      type: 'header',
      text: { type: 'plain_text', text: 'Message to +447700900123 failed' },
    });
    const section = p.blocks[1] as { type: string; text: { type: string; text: string } };
    assert.equal(section.type, 'section');
    assert.match(section.text.text, /Error 131026/);
    const context = p.blocks[2] as { elements: Array<{ text: string }> };
    assert.match(context.elements[0]!.text, /^status\.failed · \d{4}-\d{2}-\d{2}T/);
  });

  test('escapes &, < and > so a message cannot inject Slack markup', () => {
    const e = eventsOf('messages/text.json')[0] as AnyWharfEvent;
    const tricky = {
      ...e,
      data: { ...e.data, body: '<!channel> & <https://evil.example|click>' },
    } as AnyWharfEvent;
    const section = slackPayload(tricky).blocks[1] as { text: { text: string } };
    assert.match(section.text.text, /&lt;!channel&gt; &amp; &lt;https:\/\/evil\.example\|click&gt;/);
  });
});
