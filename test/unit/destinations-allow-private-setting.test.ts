import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';

describe('WHARF_DESTINATIONS_ALLOW_PRIVATE', () => {
  test('is off by default: destinations reach only public https addresses', () => {
    assert.equal(loadConfig({ env: {}, envFile: false }).destinationsAllowPrivate, false);
  });
  test('true, 1, yes and on (any case) turn it on; false, 0, no and off keep it off', () => {
    for (const v of ['true', 'TRUE', '1', 'yes', 'On'])
      assert.equal(
        loadConfig({ env: { WHARF_DESTINATIONS_ALLOW_PRIVATE: v }, envFile: false }).destinationsAllowPrivate,
        true,
        v,
      );
    for (const v of ['false', '0', 'no', 'off'])
      assert.equal(
        loadConfig({ env: { WHARF_DESTINATIONS_ALLOW_PRIVATE: v }, envFile: false }).destinationsAllowPrivate,
        false,
        v,
      );
  });
  test('any other value stops start-up naming the setting, never silently read as false', () => {
    assert.throws(
      () => loadConfig({ env: { WHARF_DESTINATIONS_ALLOW_PRIVATE: 'maybe' }, envFile: false }),
      /WHARF_DESTINATIONS_ALLOW_PRIVATE: must be true or false/,
    );
  });
});
