import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_SECRET } from '../helpers/start-test-wharf.js';
import { PNID, textDelivery } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';
import { DeliveryLog } from '../../src/observability/delivery-log.js';
import { createLogger } from '../../src/observability/create-logger.js';

const parsed = (logs: string[]) => logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the log an operator reads', () => {
  test('one info line per stored delivery (id, bytes, matched secret) and one per processed delivery (name, wamid, phone_number_id of each event), times in ISO-8601', async () => {
    const w = await startTestWharf({
      WHATSAPP_APP_SECRET: `other-app,${TEST_SECRET}`,
      WHARF_LOG_LEVEL: 'info',
    });
    try {
      const body = textDelivery('wamid.LOGLINE1', 1767225600, 'hola');
      assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)).status, 200);
      await waitFor('the processed line', () => w.logs.some((l) => l.includes('delivery processed')));
      const lines = parsed(w.logs);
      const stored = lines.find((l) => l.msg === 'delivery stored');
      assert.ok(stored, 'stored line');
      assert.equal(stored.level, 30, 'info');
      assert.equal(stored.bytes, Buffer.byteLength(body));
      assert.equal(stored.secretIndex, 1);
      assert.match(String(stored.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const processed = lines.find((l) => l.msg === 'delivery processed');
      assert.equal(processed?.deliveryId, stored.deliveryId);
      assert.deepEqual(processed?.events, [
        { name: 'message.text', wamid: 'wamid.LOGLINE1', phone_number_id: PNID },
      ]);
    } finally {
      await w.stop();
    }
  });

  test('WHARF_LOG_DELIVERIES=false writes neither line', async () => {
    const w = await startTestWharf({ WHARF_LOG_DELIVERIES: 'false', WHARF_LOG_LEVEL: 'info' });
    const body = textDelivery('wamid.LOGLINE2', 1767225600, 'hola');
    const status = await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)
      .then((r) => r.status)
      .finally(() => w.stop());
    assert.equal(status, 200);
    assert.deepEqual(
      parsed(w.logs).filter((l) => String(l.msg).startsWith('delivery ')),
      [],
    );
  });

  test('above the rate, lines are skipped and their number is logged once the second is over', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) });
    let t = 0;
    const log = new DeliveryLog(createLogger('info', sink), { enabled: true, maxPerSecond: 3, now: () => t });
    for (let i = 0; i < 10; i++) log.stored(`d${i}`, 10, 0, false, `r${i}`, 'h');
    t = 1000;
    log.stored('d10', 10, 0, false, 'r10', 'h');
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        const msgs = parsed(lines.join('').split('\n').filter(Boolean));
        assert.equal(msgs.filter((m) => m.msg === 'delivery stored').length, 4);
        assert.deepEqual(
          msgs.filter((m) => m.msg === 'delivery log lines skipped').map((m) => m.skipped),
          [7],
        );
        resolve();
      }),
    );
  });

  test('pretty, human-readable lines when asked (a terminal), JSON otherwise', async () => {
    const chunks: string[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) });
    const logger = createLogger('info', sink, { pretty: true });
    logger.info({ deliveryId: '7' }, 'delivery stored');
    await new Promise((r) => setImmediate(r));
    const text = chunks.join('');
    assert.match(text, /INFO.*delivery stored/);
    assert.match(text, /deliveryId: "7"/);
    assert.throws(() => JSON.parse(text));
  });
});
