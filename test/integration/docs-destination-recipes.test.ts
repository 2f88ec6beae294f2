/**
 * The recipes of docs/destinations.md for Airtable, a Google Sheets Apps Script web app, HubSpot and
 * "my own MySQL", taken from the page as written: each destination is created through the API with
 * only its URL pointed at a local stand-in, which checks the request shape the service documents and
 * answers as the service does; the MySQL recipe writes to the machine's MariaDB and its SQL is run.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { destinationTestBed } from '../helpers/destination-test-bed.js';
import { statusDelivery, textDelivery } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';
import type { Received } from '../helpers/destination-receiver.js';
import type { DestinationWharf } from '../helpers/start-destination-wharf.js';
import { SERVICE_URLS, serviceProblem, serviceSuite } from '../helpers/service-suite.js';
import { freshMysqlDatabase } from '../helpers/mysql-test-db.js';

const DOC = readFileSync('docs/destinations.md', 'utf8');

/** The first ```<lang> block under `heading`, as written. */
function block(heading: string, lang: string): string {
  const at = DOC.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `docs/destinations.md has "${heading}"`);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(DOC.slice(at));
  assert.ok(m?.[1], `a ${lang} block under "${heading}"`);
  return m[1];
}

/** The recipe's destination, its URL's origin replaced by the stand-in's (path and query kept). */
function recipe(heading: string, standIn: string): Record<string, unknown> {
  const body = JSON.parse(block(heading, 'json')) as Record<string, unknown>;
  const documented = new URL(String(body['url']));
  return { ...body, url: `${new URL(standIn).origin}${documented.pathname}${documented.search}` };
}

const isScalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
const now = () => Math.floor(Date.now() / 1000);

async function attemptsOf(w: DestinationWharf, id: string) {
  return (await w.api('GET', `/api/v1/destinations/${id}/attempts`)).json['data'] as Array<
    Record<string, unknown>
  >;
}

describe('docs/destinations.md recipes against stand-ins of the services', { timeout: 60_000 }, () => {
  const bed = destinationTestBed();

  test('Airtable: create records, as Airtable’s API takes them', async () => {
    // Airtable: POST /v0/{baseId}/{table}, a bearer token, {"records": [1..10 × {"fields": {…}}]}
    // plus optional typecast; anything else is 422 INVALID_REQUEST_BODY.
    const problems: string[] = [];
    const standIn = await bed.receiver((r: Received) => {
      const records = r.json['records'] as unknown;
      const problem = !/^\/v0\/app[A-Za-z0-9]{14}\/[^/]+$/.test(r.url)
        ? `path ${r.url}`
        : !/^Bearer pat\S+$/.test(String(r.headers.authorization))
          ? 'no personal access token'
          : r.headers['content-type'] !== 'application/json'
            ? 'not JSON'
            : !Object.keys(r.json).every((k) => ['records', 'typecast'].includes(k))
              ? `unknown keys ${Object.keys(r.json).join()}`
              : !Array.isArray(records) || records.length < 1 || records.length > 10
                ? 'records must hold 1 to 10 records'
                : !records.every(
                      (x: { fields?: Record<string, unknown> }) =>
                        Object.keys(x).join() === 'fields' && Object.values(x.fields ?? {}).every(isScalar),
                    )
                  ? 'each record is {"fields": {name: value}}'
                  : null;
      if (problem) {
        problems.push(problem);
        return {
          status: 422,
          body: JSON.stringify({ error: { type: 'INVALID_REQUEST_BODY', message: problem } }),
        };
      }
      return {
        status: 200,
        body: JSON.stringify({ records: [{ id: 'recA', createdTime: 'x', fields: {} }] }),
      };
    });
    const w = await bed.wharf();
    const d = await bed.create(recipe('### Airtable (create records)', standIn.url));
    await w.deliver(textDelivery('wamid.AIR1', now(), 'Do you ship to Porto?'));
    await waitFor('the record at Airtable', () => standIn.received.length >= 1);
    assert.deepEqual(problems, []);
    const fields = (standIn.received[0]?.json['records'] as Array<{ fields: Record<string, unknown> }>)[0]
      ?.fields;
    assert.equal(fields?.['Phone'], '447700900123');
    assert.equal(fields?.['Name'], 'Ana Ruiz');
    assert.equal(fields?.['Message'], 'Do you ship to Porto?');
    assert.equal(fields?.['Event'], 'message.text');
    await waitFor(
      'the attempt logged as delivered',
      async () => (await attemptsOf(w, d.id))[0]?.['ok'] === true,
    );
  });

  test('Google Sheets: the Apps Script gets key and values, answers 302, and each event is one row', async () => {
    // An Apps Script web app runs doPost on the POST and answers 302 to its output; the script of the
    // recipe appends `values` unless `key` was written before.
    const sheet: unknown[][] = [];
    const written = new Set<string>();
    const standIn = await bed.receiver((r: Received) => {
      const { key, values } = r.json as { key?: unknown; values?: unknown };
      if (!/^\/macros\/s\/[^/]+\/exec$/.test(r.url) || typeof key !== 'string' || !Array.isArray(values))
        return { status: 200, body: 'TypeError: Cannot read properties of undefined' };
      assert.ok(values.every(isScalar), 'appendRow takes scalars');
      if (!written.has(key)) {
        written.add(key);
        sheet.push(values);
      }
      return {
        status: 302,
        headers: { location: 'https://script.googleusercontent.com/macros/echo?user_content_key=abc' },
        body: '<HTML><HEAD><TITLE>Moved Temporarily</TITLE></HEAD></HTML>',
      };
    });
    const w = await bed.wharf();
    const script = block('### Google Sheets: Apps Script web app', 'js');
    assert.match(script, /function doPost\(e\)/);
    assert.match(script, /appendRow\(row\.values\)/);
    const d = await bed.create(recipe('### Google Sheets: Apps Script web app', standIn.url));
    // Without `ordering: contact` two events may be in flight together: the second is sent once the
    // first is in the sheet, so the rows' order is the deliveries' order.
    await w.deliver(textDelivery('wamid.GS1', now(), 'first'));
    await waitFor('the first row in the sheet', () => sheet.length === 1);
    await w.deliver(textDelivery('wamid.GS2', now(), 'second'));
    await waitFor('two rows in the sheet', () => sheet.length === 2);
    assert.deepEqual(
      sheet.map((row) => row.slice(1)),
      [
        ['message.text', '447700900123', 'Ana Ruiz', 'first'],
        ['message.text', '447700900123', 'Ana Ruiz', 'second'],
      ],
    );
    await waitFor('both attempts logged', async () => (await attemptsOf(w, d.id)).length === 2);
    const log = await attemptsOf(w, d.id);
    assert.deepEqual(
      log.map((a) => [a['ok'], a['status']]),
      [
        [true, 302],
        [true, 302],
      ],
      'the 302 counts as delivered: no retry',
    );
    assert.equal(standIn.received.length, 2);
  });

  test('HubSpot: contacts batch upsert by a unique property, the message on the contact', async () => {
    // HubSpot: POST /crm/v3/objects/contacts/batch/upsert, a bearer token,
    // {"inputs": [{"idProperty", "id", "properties": {name: string}}]}; property values are strings.
    const contacts = new Map<string, Record<string, string>>();
    const problems: string[] = [];
    const standIn = await bed.receiver((r: Received) => {
      const inputs = r.json['inputs'] as Array<Record<string, unknown>> | undefined;
      const ok =
        r.url === '/crm/v3/objects/contacts/batch/upsert' &&
        /^Bearer pat-\S+$/.test(String(r.headers.authorization)) &&
        Array.isArray(inputs) &&
        inputs.length >= 1 &&
        inputs.every(
          (i) =>
            typeof i['idProperty'] === 'string' &&
            typeof i['id'] === 'string' &&
            Object.values(i['properties'] as object).every((v) => typeof v === 'string'),
        );
      if (!ok) {
        problems.push(r.body);
        return { status: 400, body: '{"status":"error","category":"VALIDATION_ERROR"}' };
      }
      for (const i of inputs ?? []) {
        const id = String(i['id']);
        contacts.set(id, { ...contacts.get(id), ...(i['properties'] as Record<string, string>) });
      }
      return { status: 200, body: '{"status":"COMPLETE","results":[]}' };
    });
    const w = await bed.wharf();
    await bed.create(
      recipe('### HubSpot: create or update the contact, with the message on it', standIn.url),
    );
    await w.deliver(textDelivery('wamid.HS1', now(), 'Hello'));
    await waitFor('the contact created', () => contacts.size === 1);
    await w.deliver(textDelivery('wamid.HS2', now() + 1, 'Is it in stock?'));
    await waitFor('the contact updated', () =>
      /Is it in stock\?$/.test(contacts.get('447700900123')?.['whatsapp_last_message'] ?? ''),
    );
    assert.deepEqual(problems, []);
    const c = contacts.get('447700900123');
    assert.equal(c?.['phone'], '+447700900123');
    assert.equal(c?.['firstname'], 'Ana Ruiz');
    assert.equal(c?.['whatsapp_id'], '447700900123');
    assert.equal(contacts.size, 1, 'updated, not created twice');
  });
});

const mysqlDown = await serviceProblem(SERVICE_URLS.mysql);
serviceSuite('MariaDB / MySQL', mysqlDown, () => {
  describe('docs/destinations.md recipe: my own MySQL', { timeout: 60_000 }, () => {
    const bed = destinationTestBed();
    const db = freshMysqlDatabase();

    test('the destination writes the events, and the page’s queries answer from them', async () => {
      const mysql = await db;
      const w = await bed.wharf();
      const body = JSON.parse(block('### My own MySQL', 'json')) as Record<string, unknown>;
      const d = await bed.create({ ...body, url: mysql.url });
      assert.equal(d['max_in_flight'], 500, 'a sink writes up to 500 rows per statement by default');
      const test = await w.api('POST', `/api/v1/destinations/${d.id}/test`);
      assert.equal(test.json['ok'], true, test.body);
      await w.deliver(textDelivery('wamid.SQL1', now(), 'Order 1234?'));
      await w.deliver(
        statusDelivery({ wamid: 'wamid.SQL2', status: 'failed', ts: now(), errorCode: 131026 }),
      );
      const table = String(body['table']);
      await waitFor('two rows', async () => (await mysql.rows(`SELECT id FROM \`${table}\``)).length === 2);
      const [today, failed] = block('### My own MySQL', 'sql')
        .split(/;\s*\n/)
        .map((q) => q.trim().replace(/;$/, ''))
        .filter((q) => q !== '');
      const texts = await mysql.rows<{ contact_wa_id: string; text: string }>(today!);
      assert.deepEqual(
        texts.map((r) => [r.contact_wa_id, r.text]),
        [['447700900123', 'Order 1234?']],
      );
      const reasons = await mysql.rows<{ wamid: string; reason: string }>(failed!);
      assert.deepEqual(
        reasons.map((r) => [r.wamid, r.reason]),
        [['wamid.SQL2', 'Err']],
      );
    });

    test('a wrong password or a table Wharf cannot write to: said by POST …/test and in the attempt log', async () => {
      const mysql = await db;
      const w = await bed.wharf();
      const wrong = new URL(mysql.url);
      wrong.password = 'not-the-password';
      const d = await bed.create({ name: 'wrong', kind: 'mysql', url: wrong.toString(), table: 'events' });
      const t = await w.api('POST', `/api/v1/destinations/${d.id}/test`);
      assert.equal(t.json['ok'], false);
      assert.match(String(t.json['error']), /^the server refused the user name or password in the url/);
      assert.doesNotMatch(String(t.json['error']), /not-the-password/);
      await mysql.admin.query('CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)');
      const e = await bed.create({ name: 'notes', kind: 'mysql', url: mysql.url, table: 'notes' });
      const u = await w.api('POST', `/api/v1/destinations/${e.id}/test`);
      assert.match(String(u.json['error']), /^table notes exists but has no column event_id/);
      await w.deliver(textDelivery('wamid.SQL9', now(), 'hello'));
      await waitFor('the failure in the attempt log', async () => {
        const log = await attemptsOf(w, e.id);
        return /^table notes exists but has no column event_id/.test(String(log[0]?.['error']));
      });
      await waitFor('the wrong password in the attempt log', async () =>
        /^the server refused the user name or password/.test(
          String((await attemptsOf(w, d.id))[0]?.['error']),
        ),
      );
    });
  });
});
