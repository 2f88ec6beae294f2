/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
/**
 * The read routes of the state Wharf already keeps (templates, phone numbers, account, contacts),
 * on both adapters: what Meta's webhooks said, read back in snake_case, described by the OpenAPI
 * document field for field, and the contacts list as a CSV suppression list.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { preferenceDelivery, templateStatusDelivery, textDelivery } from '../helpers/webhook-bodies.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { waitFor } from '../helpers/wait-for.js';
import type { SettingName } from '../../src/config/schema.js';

const T = 1_767_225_600;
const BODIES = [
  templateStatusDelivery(501, 'APPROVED', T),
  templateStatusDelivery(501, 'PAUSED', T + 60, 'Quality of the template dropped'),
  fixtureBytes('message_template_quality_update/yellow.json'),
  fixtureBytes('phone_number_quality_update/throughput-upgrade.json'),
  fixtureBytes('phone_number_name_update/rejected.json'),
  fixtureBytes('account_update/restriction.json'),
  textDelivery('wamid.ANA1', T + 100, 'hello', '447700900123', 'GB.ANA1'),
  preferenceDelivery('stop', T + 200, '447700900123', 'GB.ANA1'),
  textDelivery('wamid.BEN1', T + 300, 'hi', '447700900456'),
  // A name a spreadsheet would run as a formula: the CSV must neutralise it.
  textDelivery('wamid.EVE1', T + 50, 'hey', '447700900789').replace('Ana Ruiz', '=HYPERLINK(\\"x\\")'),
];

function readRoutes(name: string, settings: () => Promise<Partial<Record<SettingName, string>>>) {
  describe(name, () => {
    let w: TestWharf;
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const r = await httpRequest(w.baseUrl + path, {
        headers: { authorization: `Bearer ${TEST_API_TOKEN}`, ...headers },
      });
      return { status: r.status, headers: r.headers, text: r.body };
    };
    const json = async (path: string) => {
      const r = await get(path);
      return { status: r.status, body: JSON.parse(r.text) as Record<string, any> };
    };

    before(async () => {
      w = await startTestWharf(await settings());
      for (const body of BODIES)
        assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)).status, 200);
      await waitFor(
        'every delivery processed',
        async () => {
          const r = await json('/api/v1/contacts');
          return r.body['total'] === 3 && (await json('/api/v1/account')).body['data']?.length === 1;
        },
        15_000,
      );
    });
    after(() => w?.stop());

    test('GET /templates: the latest status with its reason, category, quality, and the history', async () => {
      const { status, body } = await json('/api/v1/templates?name=order_update');
      assert.equal(status, 200);
      const order = body['data'].find((t: any) => t.template_id === '501');
      assert.equal(order.name, 'order_update');
      assert.equal(order.language, 'en_US');
      assert.equal(order.status, 'PAUSED');
      assert.equal(order.reason, 'Quality of the template dropped');
      assert.equal(order.status_at, new Date((T + 60) * 1000).toISOString());
      assert.deepEqual(
        order.history.map((h: any) => h.value),
        ['PAUSED', 'APPROVED'],
        'newest first',
      );
      const paused = await json('/api/v1/templates?status=paused');
      assert.ok(paused.body['data'].every((t: any) => t.status === 'PAUSED'));
      assert.ok(paused.body['data'].some((t: any) => t.template_id === '501'));
      assert.deepEqual((await json('/api/v1/templates?name=no_such_template')).body['data'], []);
    });

    test('GET /phone-numbers: display number, quality event, messaging limit tier, display name decision', async () => {
      const { status, body } = await json('/api/v1/phone-numbers');
      assert.equal(status, 200);
      const n = body['data'].find((p: any) => p.display_phone_number === '15551230000');
      assert.ok(n, JSON.stringify(body));
      assert.equal(n.quality_event, 'THROUGHPUT_UPGRADE');
      assert.equal(n.max_daily_conversations, 'TIER_UNLIMITED');
      assert.equal(n.name_status, 'REJECTED');
    });

    test('GET /account: restrictions and the like, newest first, data in snake_case', async () => {
      const { body } = await json('/api/v1/account');
      assert.equal(body['data'].length, 1);
      const a = body['data'][0];
      assert.equal(a.waba_id, '800000000000001');
      assert.match(a.aspect, /^account\.update/);
      assert.ok(JSON.stringify(a.data).includes('RESTRICTED_BIZ_INITIATED_MESSAGING'));
      assert.ok(!JSON.stringify(a.data).includes('restrictionType'), 'keys are snake_case');
    });

    test('GET /contacts: merged across phone number and BSUID, newest activity first, paged', async () => {
      const { body } = await json('/api/v1/contacts');
      assert.equal(body['total'], 3);
      assert.deepEqual(
        body['data'].map((c: any) => c.id),
        ['447700900456', '447700900123', '447700900789'],
      );
      const ana = body['data'][1];
      assert.equal(ana.user_id, 'GB.ANA1', 'the BSUID row and the phone row are one contact');
      assert.equal(ana.marketing_opt_out, true);
      assert.equal(ana.last_activity_at, new Date((T + 200) * 1000).toISOString());
      const first = await json('/api/v1/contacts?limit=2');
      assert.equal(first.body['data'].length, 2);
      const second = await json(`/api/v1/contacts?limit=2&cursor=${first.body['next_cursor']}`);
      assert.deepEqual(
        second.body['data'].map((c: any) => c.id),
        ['447700900789'],
      );
      assert.equal(second.body['next_cursor'], null);
    });

    test('?marketing_opt_out=true lists who stopped marketing; false the others; anything else is a 400', async () => {
      const opted = await json('/api/v1/contacts?marketing_opt_out=true');
      assert.deepEqual(
        opted.body['data'].map((c: any) => c.wa_id),
        ['447700900123'],
      );
      assert.equal((await json('/api/v1/contacts?marketing_opt_out=false')).body['total'], 2);
      const bad = await json('/api/v1/contacts?marketing_opt_out=yes');
      assert.equal(bad.status, 400);
      assert.match(bad.body['error']['message'], /marketing_opt_out must be true or false/);
      assert.equal((await json('/api/v1/contacts?cursor=bogus')).status, 400);
      assert.equal((await json('/api/v1/contacts?limit=0')).status, 400);
    });

    test('Accept: text/csv exports the suppression list, formulas neutralised', async () => {
      const r = await get('/api/v1/contacts?marketing_opt_out=true', { accept: 'text/csv' });
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /^text\/csv/);
      assert.match(String(r.headers['content-disposition']), /wharf-suppression-list\.csv/);
      const lines = r.text.trimEnd().split('\r\n');
      assert.equal(
        lines[0],
        'wa_id,user_id,name,marketing_opt_out,marketing_preference_at,marketing_preference_source,last_inbound_at',
      );
      assert.equal(lines.length, 2);
      assert.match(lines[1] ?? '', /^447700900123,GB\.ANA1,Ana Ruiz,true,2026-01-01T00:03:20\.000Z,/);
      const everyone = await get('/api/v1/contacts', { accept: 'text/csv' });
      assert.ok(everyone.text.includes(`"'=HYPERLINK(""x"")"`), everyone.text);
    });

    test('every answer has exactly the fields its OpenAPI schema names', async () => {
      const doc = JSON.parse((await apiGet(w.baseUrl, '/api/v1/openapi.json', TEST_API_TOKEN)).body);
      const schema = (n: string) => doc['components']['schemas'][n];
      const check = (n: string, item: Record<string, unknown>) =>
        assert.deepEqual(Object.keys(item).sort(), [...schema(n).required].sort(), n);
      check('Template', (await json('/api/v1/templates')).body['data'][0]);
      check('PhoneNumber', (await json('/api/v1/phone-numbers')).body['data'][0]);
      check('AccountState', (await json('/api/v1/account')).body['data'][0]);
      const contact = (await json('/api/v1/contacts')).body['data'][0];
      assert.deepEqual(
        Object.keys(contact).sort(),
        [...schema('Contact').required, ...schema('ContactListItem').allOf[1].required].sort(),
      );
      for (const path of [
        '/api/v1/templates',
        '/api/v1/phone-numbers',
        '/api/v1/account',
        '/api/v1/contacts',
      ])
        assert.ok(doc['paths'][path]?.['get'], `${path} is in the OpenAPI document`);
    });
  });
}

readRoutes('read routes of the business state on SQLite', async () => ({}));

await postgresSuite('read routes of the business state on PostgreSQL', (pg) => {
  readRoutes('on PostgreSQL', async () => ({ DATABASE_URL: await pg.freshSchemaUrl() }));
});
