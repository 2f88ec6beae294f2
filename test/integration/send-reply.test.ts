/**
 * ctx.reply() in a `wharf.on` handler and wharf.send() in the library, against the local Graph API
 * mock: the reply goes to the event's contact from the event's number, a handler retried after
 * replying does not message the customer twice, and a refused send rejects with its code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createWharf, type Wharf } from '../../src/server/create-wharf.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { SendError } from '../../src/index.js';
import { startGraphMock, type GraphMock } from '../../src/testing.js';
import { testConfig, logCollector, TEST_SECRET } from '../helpers/start-test-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';
import { postSigned } from '../helpers/post-signed.js';
import { textDelivery, PNID } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';

const TOKEN = 'graph-token-reply-tests';
const ANA = '447700900123';

describe('ctx.reply() and wharf.send()', () => {
  const dir = tempDir('wharf-reply-');
  let mock: GraphMock;
  let wharf: Wharf;
  let base: string;
  const attempts = new Map<string, number>();
  const replies: unknown[] = [];
  const refusals: unknown[] = [];

  before(async () => {
    mock = await startGraphMock({ accessToken: TOKEN });
    const config = testConfig(join(dir.path, 'wharf.db'), {
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_GRAPH_URL: mock.url,
      WHARF_SHUTDOWN_GRACE_MS: 50,
    });
    wharf = createWharf(config, {
      logger: createLogger('warn', logCollector().sink),
      handleSignals: false,
      handlers: { retry: { baseMs: 10, capMs: 20 }, pollMs: 50 },
    });
    wharf.on('message.text', async (event, ctx) => {
      const n = (attempts.get(event.key) ?? 0) + 1;
      attempts.set(event.key, n);
      const sent = await ctx.reply({ type: 'text', text: { body: 'Thanks, we got it' } }, { quote: true });
      replies.push(sent);
      // The first attempt fails after replying: the retry must not message the customer again.
      if (n === 1) throw new Error('something after the reply failed');
    });
    wharf.on(
      'message.text',
      async (_event, ctx) => {
        // A second handler's reply has keys of its own: it is sent too, once.
        try {
          await ctx.reply({ type: 'image', image: { link: 'https://example.com/a.png' } });
        } catch (err) {
          refusals.push(err);
        }
      },
      { id: 'image-replier' },
    );
    const addr = await wharf.listen();
    base = `http://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await wharf.close();
    await mock.close();
    dir.cleanup();
  });

  test('a handler replies to the event’s contact from its number, quoting it; retried, it does not send twice', async () => {
    mock.state.userMessaged(ANA);
    const ts = Math.floor(Date.now() / 1000);
    const a = await postSigned(
      `${base}/webhooks/whatsapp`,
      textDelivery('wamid.IN.REPLY.1', ts, 'hi', ANA),
      TEST_SECRET,
    );
    assert.equal(a.status, 200);
    await waitFor(
      'the handler to run twice',
      () => (attempts.get([...attempts.keys()][0] ?? '') ?? 0) >= 2,
      15_000,
    );
    await waitFor(
      'the image handler',
      () => mock.state.sendsFor(PNID).some((s) => s.type === 'image'),
      15_000,
    );
    assert.deepEqual(refusals, []);
    assert.equal(mock.state.sendsFor(PNID).filter((s) => s.type === 'image').length, 1);
    const texts = mock.state.sendsFor(PNID).filter((s) => s.type === 'text');
    assert.equal(texts.length, 1, 'one text reply however often the handler ran');
    assert.equal(texts[0]?.to, ANA);
    assert.deepEqual(texts[0]?.body.context, { message_id: 'wamid.IN.REPLY.1' });
    assert.equal(replies.length, 2);
    assert.deepEqual(replies[1], replies[0]);
    assert.equal((replies[0] as { wamid: string }).wamid, texts[0]?.wamid);
  });

  test('wharf.send() resolves with the wamid; a refused send rejects with a SendError naming the guard', async () => {
    const sent = await wharf.send({
      phone_number_id: PNID,
      to: ANA,
      type: 'text',
      text: { body: 'from the library' },
    });
    assert.match(sent.wamid, /^wamid\./);
    await assert.rejects(
      wharf.send({ phone_number_id: PNID, to: '15550001234', type: 'text', text: { body: 'nobody wrote' } }),
      (err: unknown) => err instanceof SendError && err.code === 'WINDOW_CLOSED' && err.answer.status === 409,
    );
  });
});
