/**
 * Table-driven test over the whole fixtures/payloads/ folder: every fixture declares here the
 * events (name → count) it must produce, and every fixture file must be declared.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOG, EVENT_NAMES, isOperationalEventName } from '../../../src/events/event-names.js';
import { FIXTURE_ROOT, eventsOf, fixturePaths, nameCounts } from '../../helpers/fixtures.js';

const EXPECTED: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'account_alerts/oba-approved.json': { 'account.alert': 1 },
  'account_review_update/approved.json': { 'account.review': 1 },
  'account_settings_update/calling.json': { 'account.settings': 1 },
  'account_update/ad-account-linked.json': { 'account.update': 1 },
  'account_update/auth-intl-price-eligibility.json': { 'account.update': 1 },
  'account_update/country-update.json': { 'account.update': 1 },
  'account_update/disabled.json': { 'account.update': 1 },
  'account_update/offboarded.json': { 'account.update': 1 },
  'account_update/partner-apps-installed.json': { 'account.update': 2 },
  'account_update/partner-client-certification-needed.json': { 'account.update': 1 },
  'account_update/partner-client-certification-status.json': { 'account.update': 1 },
  'account_update/partner-removed.json': { 'account.update': 1 },
  'account_update/restriction.json': { 'account.update': 1 },
  'account_update/violation.json': { 'account.update': 1 },
  'account_update/volume-tier.json': { 'account.update': 1 },
  'automatic_events/purchase.json': { 'automatic.event': 2 },
  'business_capability_update/number.json': { 'business.capability': 1 },
  'business_capability_update/tier.json': { 'business.capability': 1 },
  'business_username_update/approved.json': { 'business.username': 1 },
  'business_username_update/plural-field-deleted.json': { 'business.username': 1 },
  'calls/connect.json': { 'call.connect': 1 },
  'calls/status.json': { 'call.status': 2 },
  'calls/terminate.json': { 'call.terminate': 1 },
  'flows/client-error-rate.json': { 'flow.alert': 1 },
  'flows/latency.json': { 'flow.alert': 1 },
  'flows/status-change.json': { 'flow.status': 1 },
  'group_lifecycle_update/create.json': { 'group.create': 1 },
  'group_lifecycle_update/delete.json': { 'group.delete': 1 },
  'group_participants_update/add.json': { 'group.participants_add': 1 },
  'group_participants_update/join-request.json': {
    'group.join_request_created': 1,
    'group.join_request_revoked': 1,
  },
  'group_participants_update/remove-legacy-spelling.json': { 'group.participants_remove': 1 },
  'group_settings_update/subject.json': { 'group.settings_update': 1 },
  'group_status_update/suspend.json': { 'group.suspend': 1, 'group.suspend_cleared': 1 },
  'group_status_update/unknown-type.json': { unknown: 1 },
  'history/chunk.json': { 'history.message': 2 },
  'history/chunk-bsuid-only.json': { 'history.message': 2 },
  'history/declined.json': { 'history.error': 1 },
  'history/empty-chunk.json': { 'history.chunk': 1 },
  'history/media-follow-up.json': { 'history.message': 2 },
  'message_template_components_update/edited.json': { 'template.components': 1 },
  'message_template_quality_update/yellow.json': { 'template.quality': 1 },
  'message_template_quality_update/red.json': { 'template.quality': 1 },
  'message_template_status_update/disabled.json': { 'template.status': 1 },
  'message_template_status_update/flagged.json': { 'template.status': 1 },
  'message_template_status_update/second-pause.json': { 'template.status': 1 },
  'message_template_status_update/numbers-as-strings.json': { 'template.status': 1 },
  'message_template_status_update/paused.json': { 'template.status': 1 },
  'message_template_status_update/rejected-invalid-format.json': { 'template.status': 1 },
  'messages/audio-voice.json': { 'message.audio': 1 },
  'messages/batch-1000-statuses.json': {
    'status.sent': 250,
    'status.delivered': 250,
    'status.read': 250,
    'status.played': 250,
  },
  'messages/batch-malformed-entries.json': { unknown: 4, 'message.text': 1 },
  'messages/batch-malformed-items.json': {
    'message.text': 1,
    'message.unknown': 3,
    'status.unknown': 1,
    'status.delivered': 1,
  },
  'messages/batch-mixed.json': {
    'message.text': 2,
    'status.sent': 1,
    'status.delivered': 1,
    'status.read': 1,
  },
  'messages/batch-multi-change.json': { 'message.text': 2, 'status.sent': 1, 'template.quality': 1 },
  'messages/batch-multi-entry.json': { 'message.text': 2, 'template.status': 1 },
  'messages/bsuid-only.json': { 'message.text': 1 },
  'messages/button.json': { 'message.button': 1 },
  'messages/contact-without-profile.json': { 'message.text': 1 },
  'messages/contacts.json': { 'message.contacts': 1 },
  'messages/document.json': { 'message.document': 1 },
  'messages/edit.json': { 'message.edit': 1 },
  'messages/empty-value.json': { unknown: 1 },
  'messages/group-message.json': { 'message.text': 1 },
  'messages/identity-legacy.json': { 'message.text': 1 },
  'messages/image.json': { 'message.image': 1 },
  'messages/interactive-button-reply.json': { 'message.button_reply': 1 },
  'messages/interactive-call-permission-reply.json': { 'message.call_permission_reply': 1 },
  'messages/interactive-list-reply.json': { 'message.list_reply': 1 },
  'messages/interactive-nfm-reply.json': { 'message.nfm_reply': 1 },
  'messages/interactive-unknown-subtype.json': { 'message.unknown': 1 },
  'messages/legacy-unknown-type.json': { 'message.unknown': 1 },
  'messages/location-numbers-as-strings.json': { 'message.location': 1 },
  'messages/location.json': { 'message.location': 1 },
  'messages/new-type.json': { 'message.unknown': 1 },
  'messages/order.json': { 'message.order': 1 },
  'messages/reaction-removed.json': { 'message.reaction': 1 },
  'messages/reaction.json': { 'message.reaction': 1 },
  'messages/request-welcome.json': { 'message.request_welcome': 1 },
  'messages/revoke.json': { 'message.revoke': 1 },
  'messages/status-authentication-international.json': { 'status.sent': 1 },
  'messages/status-bsuid-only.json': { 'status.read': 1 },
  'messages/status-delivered.json': { 'status.delivered': 1 },
  'messages/status-failed.json': { 'status.failed': 1 },
  'messages/status-failed-bsuid-only.json': { 'status.failed': 1 },
  'messages/status-failed-131047.json': { 'status.failed': 1 },
  'messages/status-failed-131049.json': { 'status.failed': 1 },
  'messages/status-free-entry-point.json': { 'status.sent': 1 },
  'messages/status-group-delivered.json': { 'status.delivered': 2 },
  'messages/status-parent-new-spelling.json': { 'status.delivered': 1 },
  'messages/status-parent-old-spelling.json': { 'status.delivered': 1 },
  'messages/status-played.json': { 'status.played': 1 },
  'messages/status-read.json': { 'status.read': 1 },
  'messages/status-sent.json': { 'status.sent': 1 },
  'messages/status-timestamp-number.json': { 'status.delivered': 1 },
  'messages/status-unknown.json': { 'status.unknown': 2 },
  'messages/sticker.json': { 'message.sticker': 1 },
  'messages/system-changed-number.json': { 'message.system': 1 },
  'messages/system-changed-user-id.json': { 'message.system': 1 },
  'messages/system-legacy-customer-changed-number.json': { 'message.system': 1 },
  'messages/text-forwarded.json': { 'message.text': 1 },
  'messages/text-identity-key-hash.json': { 'message.text': 1 },
  'messages/text-referral.json': { 'message.text': 1 },
  'messages/text-referred-product.json': { 'message.text': 1 },
  'messages/text.json': { 'message.text': 1 },
  'messages/unsupported-edit.json': { 'message.unsupported': 1 },
  'messages/unsupported.json': { 'message.unsupported': 1 },
  'messages/value-errors.json': { error: 1 },
  'messages/video.json': { 'message.video': 1 },
  'messaging_handovers/control-passed.json': { handover: 1 },
  'partner_solutions/updated.json': { 'partner.solution': 1 },
  'payment_configuration_update/needs-testing.json': { 'payment.configuration': 1 },
  'phone_number_name_update/rejected.json': { 'phone_number.name': 1 },
  'phone_number_quality_update/legacy-downgrade.json': { 'phone_number.quality': 1 },
  'phone_number_quality_update/throughput-upgrade.json': { 'phone_number.quality': 1 },
  'security/pin-reset-request.json': { security: 1 },
  'smb_app_state_sync/contact-add.json': { 'app_state.sync': 2 },
  'smb_message_echoes/revoke-and-edit.json': { 'echo.message': 2 },
  'smb_message_echoes/text.json': { 'echo.message': 1 },
  'standby/group-statuses.json': { standby: 2 },
  'standby/message.json': { standby: 3 },
  'template_category_update/completed.json': { 'template.category': 1 },
  'template_category_update/impending.json': { 'template.category': 1 },
  'template_correct_category_detection/detected.json': { 'template.category_detection': 1 },
  'unknown/tracking-events.json': { unknown: 1 },
  'user_id_update/changed.json': { 'user.id_update': 1 },
  'user_preferences/stop-and-resume.json': { 'user.preferences': 2 },
  'user_preferences/stop.json': { 'user.preferences': 1 },
};

const files = fixturePaths();

describe('fixtures/payloads table', () => {
  test('every fixture file is declared in the table, and every declared fixture exists', () => {
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });

  for (const path of files) {
    test(`${path} yields exactly its declared events`, () => {
      const events = eventsOf(path);
      assert.deepEqual(nameCounts(events), EXPECTED[path]);
      const keys = new Set<string>();
      for (const e of events) {
        assert.ok(EVENT_NAMES.includes(e.name), `name ${e.name} is in the catalog`);
        assert.equal(typeof e.key, 'string');
        assert.ok(e.key.length > 0);
        assert.ok(e.occurredAt === null || Number.isInteger(e.occurredAt), 'occurredAt is epoch ms or null');
        assert.equal(typeof e.wabaId, 'string');
        assert.notEqual(e.raw, undefined, 'the raw item is kept');
        keys.add(e.key);
      }
      assert.equal(keys.size, events.length, 'idempotency keys are unique within a delivery');
    });
  }

  test('every catalog entry names a fixture that exists and produces that event', () => {
    // Wharf's own events (wharf.*) come from Wharf, not from a Meta payload: they have no fixture.
    for (const entry of EVENT_CATALOG.filter((e) => !isOperationalEventName(e.name))) {
      assert.ok(existsSync(join(FIXTURE_ROOT, entry.fixture)), `${entry.name}: ${entry.fixture} exists`);
      const names = eventsOf(entry.fixture).map((e) => e.name);
      assert.ok(names.includes(entry.name), `${entry.fixture} produces ${entry.name}`);
    }
  });

  test('every event name is produced by at least one fixture', () => {
    const seen = new Set(files.flatMap((f) => Object.keys(EXPECTED[f] ?? {})));
    assert.deepEqual(
      EVENT_NAMES.filter((n) => !seen.has(n) && !isOperationalEventName(n)),
      [],
    );
  });
});
