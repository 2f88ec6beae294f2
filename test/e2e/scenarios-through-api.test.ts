/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
/**
 * Every simulator scenario against a running Wharf, checked only through the read API: what a user
 * of `wharf simulate` + `curl /api/v1/…` would see. Each scenario gets its own Wharf (all scenarios
 * share one seeded cast, so state would otherwise mix and counts would not be exact).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildScenario,
  createScenarioContext,
  SCENARIOS,
  simulate,
  type Scenario,
  type ScenarioContext,
  type ScenarioPlan,
  type SimulationReport,
  type Step,
} from '../../src/testing.js';
import { apiGet } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';

const SEED = 7;
/** Shortly in the past, so a user's 24 h service window is still open while the test reads it. */
const NOW = Math.floor(Date.now() / 1000) - 600;
const DAY_MS = 24 * 60 * 60 * 1000;
const PROCESSING_TIMEOUT_MS = 20_000;

type Json = Record<string, any>;

async function get(w: TestWharf, path: string): Promise<{ status: number; body: Json }> {
  const r = await apiGet(w.baseUrl, path, TEST_API_TOKEN);
  return { status: r.status, body: JSON.parse(r.body) as Json };
}

async function getOk(w: TestWharf, path: string): Promise<Json> {
  const r = await get(w, path);
  assert.equal(r.status, 200, `GET ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Every page of a cursor-paged list endpoint, newest first. */
async function pageAll(w: TestWharf, path: string): Promise<Json[]> {
  const out: Json[] = [];
  const sep = path.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const body = await getOk(
      w,
      `${path}${sep}limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    out.push(...(body['data'] as Json[]));
    cursor = body['next_cursor'] as string | null;
    if (cursor === null) return out;
  }
  throw new Error(`${path}: more than 1000 pages`);
}

/** Polls GET /deliveries until nothing is pending or processing (processing is asynchronous by design). */
async function waitUntilProcessed(w: TestWharf, expected: number): Promise<Json[]> {
  const deadline = Date.now() + PROCESSING_TIMEOUT_MS;
  for (;;) {
    const deliveries = await pageAll(w, '/api/v1/deliveries');
    const busy = deliveries.filter((d) => d['state'] === 'pending' || d['state'] === 'processing');
    if (deliveries.length >= expected && busy.length === 0) return deliveries;
    if (Date.now() > deadline)
      throw new Error(
        `deliveries not processed within ${PROCESSING_TIMEOUT_MS} ms: ${deliveries.length}/${expected} stored, ` +
          `${busy.length} still pending/processing`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Objects Wharf passes through as Meta or the user sent them (README, "Read API"): their keys are not Wharf's. */
const AS_SENT = new Set(['raw', 'response', 'details', 'calling']);

/** Paths of the keys of a JSON answer that are not snake_case, not looking inside objects kept as sent. */
function nonSnakeKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => nonSnakeKeys(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(/^[a-z0-9_]+$/.test(k) ? [] : [`${path}.${k}`]),
    ...(AS_SENT.has(k) ? [] : nonSnakeKeys(v, `${path}.${k}`)),
  ]);
}

function countByName(events: readonly Json[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e['name']] = (counts[e['name']] ?? 0) + 1;
  return counts;
}

const deliverySteps = (plan: ScenarioPlan) =>
  plan.steps.filter((s): s is Extract<Step, { kind: 'delivery' }> => s.kind === 'delivery');

/** Distinct bodies: identical bytes are stored once by the inbox (their duplicates counted). */
const distinctBodies = (steps: readonly Step[]) =>
  new Set(steps.filter((s) => s.kind === 'delivery').map((s) => JSON.stringify(s.body))).size;

/** A scenario made of some of another's already-built steps (to look at state half-way through). */
function partOf(name: string, plan: ScenarioPlan, steps: readonly Step[]): Scenario {
  return { name, description: `part of ${name}`, build: () => ({ steps, expect: plan.expect }) };
}

async function send(w: TestWharf, scenario: string | Scenario): Promise<SimulationReport> {
  return simulate({
    url: `${w.baseUrl}/webhooks/whatsapp`,
    secret: TEST_SECRET,
    scenarios: [scenario],
    seed: SEED,
    now: NOW,
    timeScale: 1e6,
    timeoutMs: 10_000,
  });
}

function assertAllAcknowledged(report: SimulationReport): void {
  for (const s of report.scenarios)
    for (const d of s.deliveries) {
      const last = d.attempts.at(-1);
      assert.ok(d.acknowledged, `${s.name} / ${d.label}: not acknowledged`);
      assert.equal(last?.result.status, 200, `${s.name} / ${d.label}: final answer`);
    }
}

/** Inbound `messages[]` items of a plan (every entry × change), with their sender and time. */
function inboundMessages(plan: ScenarioPlan): Json[] {
  return deliverySteps(plan).flatMap((s) =>
    s.body.entry.flatMap((e) => e.changes.flatMap((c) => (c.value['messages'] as Json[] | undefined) ?? [])),
  );
}

/** Outbound `statuses[]` items of a plan. */
function statusItems(plan: ScenarioPlan): Json[] {
  return deliverySteps(plan).flatMap((s) =>
    s.body.entry.flatMap((e) => e.changes.flatMap((c) => (c.value['statuses'] as Json[] | undefined) ?? [])),
  );
}

/** Started Wharf + the scenario sent through simulate() and fully processed. */
interface Run {
  w: TestWharf;
  plan: ScenarioPlan;
  ctx: ScenarioContext;
  report: SimulationReport;
  deliveries: Json[];
  events: Json[];
  /** State read half-way through, for scenarios sent in stages. */
  midway?: Json;
}

/**
 * Scenarios whose state is also checked half-way: marketing-opt-out-and-resume is sent in two
 * halves, and the contact is read after "stop" + the 131050 failure, before "resume".
 */
const STAGED: Record<string, (run: Run) => Promise<SimulationReport>> = {
  'marketing-opt-out-and-resume': async (run) => {
    const steps = deliverySteps(run.plan);
    assert.deepEqual(
      steps.map((s) => s.label),
      ['user_preferences stop', 'status failed 131050', 'user_preferences resume', 'status sent (marketing)'],
    );
    const name = 'marketing-opt-out-and-resume';
    const first = await send(run.w, partOf(name, run.plan, steps.slice(0, 2)));
    await waitUntilProcessed(run.w, 2);
    run.midway = await getOk(run.w, `/api/v1/contacts/${encodeURIComponent(run.ctx.ana.waId ?? '')}`);
    const second = await send(run.w, partOf(name, run.plan, steps.slice(2)));
    return { ...second, scenarios: [...first.scenarios, ...second.scenarios], ok: first.ok && second.ok };
  },
};

/**
 * Registers before/after hooks that start a fresh Wharf, send the scenario with simulate() and
 * wait for processing; the returned object is filled in by the time the describe's tests run.
 */
function scenarioRun(name: string): Run {
  const run = {} as Run;
  before(async () => {
    run.plan = buildScenario(name, { seed: SEED, now: NOW });
    run.ctx = createScenarioContext({ seed: SEED, now: NOW, scenario: name });
    run.w = await startTestWharf({ WHARF_LOG_LEVEL: 'warn' });
    const staged = STAGED[name];
    run.report = await (staged ? staged(run) : send(run.w, name));
    run.deliveries = await waitUntilProcessed(run.w, distinctBodies(run.plan.steps));
    run.events = await pageAll(run.w, '/api/v1/events');
  });
  after(() => run.w?.stop());
  return run;
}

/** Checks of state the API exposes beyond event counts and final statuses, per scenario. */
const SPECIFIC: Record<string, (run: Run) => void> = {
  'status-out-of-order': (run) => {
    it('a status arriving late never downgrades the message; the timeline keeps every status', async () => {
      const expected = run.plan.expect.messageStatus ?? {};
      assert.deepEqual(Object.values(expected).sort(), ['played', 'read']);
      for (const [wamid, status] of Object.entries(expected)) {
        const m = await getOk(run.w, `/api/v1/messages/${encodeURIComponent(wamid)}`);
        assert.equal(m['status'], status);
        assert.equal(m['failed'], false);
        const sent = statusItems(run.plan)
          .filter((s) => s['id'] === wamid)
          .map((s) => s['status'] as string);
        assert.deepEqual((m['statuses'] as Json[]).map((s) => s['status']).sort(), [...sent].sort());
      }
    });

    it('?wait=<lower status> is satisfied at once by the higher final status', async () => {
      for (const wamid of Object.keys(run.plan.expect.messageStatus ?? {})) {
        const m = await getOk(
          run.w,
          `/api/v1/messages/${encodeURIComponent(wamid)}?wait=delivered&timeout=2`,
        );
        assert.deepEqual(m['wait'], { status: 'delivered', reached: true });
      }
    });
  },

  'status-failures': (run) => {
    it('each failed message keeps its error with the code Meta sent: 131026, 131047, 131049, 131050, 132015', async () => {
      const codes: number[] = [];
      for (const item of statusItems(run.plan)) {
        const wamid = item['id'] as string;
        const sentCode = (item['errors'] as Json[])[0]?.['code'] as number;
        const m = await getOk(run.w, `/api/v1/messages/${encodeURIComponent(wamid)}`);
        assert.equal(m['failed'], true, wamid);
        assert.deepEqual(
          (m['errors'] as Json[]).map((e) => e['code']),
          [sentCode],
          `${wamid} errors`,
        );
        codes.push(sentCode);
      }
      assert.deepEqual(codes.sort(), [131026, 131047, 131049, 131050, 132015]);
    });

    it('the status.failed events carry the same error codes in their data', () => {
      const codes = run.events.flatMap((e) => (e['data']['errors'] as Json[]).map((x) => x['code']));
      assert.deepEqual(codes.sort(), [131026, 131047, 131049, 131050, 132015]);
    });
  },

  'marketing-opt-out-and-resume': (run) => {
    it('after "stop" and the 131050 failure the contact shows marketing_opt_out true, newest record first', () => {
      const afterStop = run.midway as Json;
      assert.equal(afterStop['marketing_opt_out'], true);
      // The 131050 failure (an hour after "stop") is itself an opt-out record, and the newest wins.
      const failedAt = Number(statusItems(run.plan).find((s) => s['status'] === 'failed')?.['timestamp']);
      assert.equal(failedAt, NOW + 3600);
      assert.deepEqual(afterStop['marketing_preference'], {
        value: 'stop',
        source: 'error_131050',
        at: new Date(failedAt * 1000).toISOString(),
      });
    });

    it('after "resume" (the last preference) it shows marketing_opt_out false, by phone and by BSUID', async () => {
      assertAllAcknowledged(run.report);
      for (const id of [run.ctx.ana.waId ?? '', run.ctx.ana.userId]) {
        const c = await getOk(run.w, `/api/v1/contacts/${encodeURIComponent(id)}`);
        assert.equal(c['marketing_opt_out'], false, id);
        assert.equal(c['marketing_preference']['value'], 'resume', id);
        assert.equal(c['marketing_preference']['at'], new Date((NOW + 86400) * 1000).toISOString(), id);
      }
    });

    it('the send blocked by 131050 stays failed, the one after resuming is sent', async () => {
      const statuses = run.plan.expect.messageStatus ?? {};
      for (const [wamid, status] of Object.entries(statuses)) {
        const m = await getOk(run.w, `/api/v1/messages/${encodeURIComponent(wamid)}`);
        if (status === 'failed') {
          assert.equal(m['failed'], true);
          assert.deepEqual(
            (m['errors'] as Json[]).map((e) => e['code']),
            [131050],
          );
        } else assert.equal(m['status'], 'sent');
      }
    });
  },

  'inbound-all-types': (run) => {
    it('the contact window is open until the last inbound message (system notices excluded) + 24 h', async () => {
      const ana = run.ctx.ana;
      const last = Math.max(
        ...inboundMessages(run.plan)
          .filter((m) => m['from'] === ana.waId && m['type'] !== 'system')
          .map((m) => Number(m['timestamp'])),
      );
      const c = await getOk(run.w, `/api/v1/contacts/${encodeURIComponent(ana.userId)}`);
      assert.equal(c['last_inbound_at'], new Date(last * 1000).toISOString());
      assert.equal(c['window_open_until'], new Date(last * 1000 + DAY_MS).toISOString());
      assert.equal(c['window_open'], true);
      assert.equal(c['name'], ana.name);
    });

    it('each inbound message is retrievable by its wamid as an inbound message of its type', async () => {
      for (const msg of inboundMessages(run.plan)) {
        const m = await getOk(run.w, `/api/v1/messages/${encodeURIComponent(msg['id'] as string)}`);
        assert.equal(m['direction'], 'inbound', msg['type']);
        assert.equal(m['status'], null, msg['type']);
      }
    });

    it('the "number changed" system message points the old number to the new one', async () => {
      const system = inboundMessages(run.plan).find((m) => m['type'] === 'system')?.['system'] as Json;
      const old = await getOk(run.w, `/api/v1/contacts/${encodeURIComponent(run.ctx.ana.waId ?? '')}`);
      assert.equal(old['replaced_by'], system['wa_id']);
      const now = await getOk(run.w, `/api/v1/contacts/${encodeURIComponent(system['wa_id'] as string)}`);
      assert.equal(now['wa_id'], system['wa_id']);
      assert.equal(now['user_id'], system['user_id']);
    });
  },

  'bsuid-only-contact': (run) => {
    it('the contact is retrievable by its BSUID, with username and no phone number', async () => {
      const lena = run.ctx.lena;
      const c = await getOk(run.w, `/api/v1/contacts/${encodeURIComponent(lena.userId)}`);
      assert.equal(c['user_id'], lena.userId);
      assert.equal(c['wa_id'], null);
      assert.equal(c['username'], lena.username);
      const [inbound] = inboundMessages(run.plan);
      const at = Number(inbound?.['timestamp']) * 1000;
      assert.equal(c['window_open_until'], new Date(at + DAY_MS).toISOString());
    });

    it('GET /events?contact=<BSUID> lists all three events of the conversation', async () => {
      const events = await pageAll(
        run.w,
        `/api/v1/events?contact=${encodeURIComponent(run.ctx.lena.userId)}`,
      );
      assert.deepEqual(countByName(events), run.plan.expect.events);
      for (const e of events) assert.equal(e['contact']['wa_id'], null);
    });

    it('the reply is delivered and attributed to the BSUID', async () => {
      const [wamid] = Object.keys(run.plan.expect.messageStatus ?? {});
      const m = await getOk(run.w, `/api/v1/messages/${encodeURIComponent(wamid ?? '')}`);
      assert.equal(m['status'], 'delivered');
      assert.deepEqual(m['contact'], { wa_id: null, user_id: run.ctx.lena.userId });
    });
  },

  'duplicate-retries': (run) => {
    it('identical bytes are stored once with the repeat counted; every item is one event', () => {
      assert.equal(run.report.scenarios[0]?.deliveries.length, 4, 'four POSTs');
      assert.equal(run.deliveries.length, 3, 'three distinct deliveries stored');
      assert.deepEqual(run.deliveries.map((d) => d['duplicates']).sort(), [0, 0, 1]);
      assert.deepEqual(countByName(run.events), {
        'message.text': 1,
        'status.delivered': 1,
        'status.read': 1,
      });
    });
  },

  'unknown-field-and-type': (run) => {
    it('the unknown message type becomes message.unknown with its type and a reason', () => {
      const e = run.events.find((x) => x['name'] === 'message.unknown');
      assert.ok(e);
      assert.equal(e['data']['type'], 'hologram');
      assert.equal(typeof e['data']['reason'], 'string');
    });

    it('the unknown field becomes an unknown event with a reason naming the field', () => {
      const e = run.events.find((x) => x['name'] === 'unknown');
      assert.ok(e);
      assert.equal(e['field'], 'conversation_insights_update');
      assert.match(e['data']['reason'], /conversation_insights_update/);
    });

    it('both unknown events expose the raw JSON Meta sent through GET /events', () => {
      const [message] = inboundMessages(run.plan);
      const change = deliverySteps(run.plan)[1]?.body.entry[0]?.changes[0];
      const unknownMessage = run.events.find((x) => x['name'] === 'message.unknown');
      const unknownField = run.events.find((x) => x['name'] === 'unknown');
      assert.deepEqual(unknownMessage?.['raw'], message);
      // The item of an unknown field is the change (docs/events.md); accept the change or its value.
      const raw = unknownField?.['raw'] as Json | undefined;
      assert.deepEqual(raw?.['field'] === undefined ? raw : raw['value'], change?.value);
    });
  },

  'history-near-3mb': (run) => {
    it('the near-3 MB body is one delivery and every history message is one event', () => {
      assert.equal(run.deliveries.length, 1);
      assert.ok((run.deliveries[0]?.['size'] as number) > 2_990_000);
      const expected = run.plan.expect.events['history.message'] ?? 0;
      assert.ok(expected > 10_000, `${expected} history messages`);
      assert.equal(run.events.length, expected);
    });
  },
};

describe('every simulator scenario, sent to a running Wharf and read back through the API', () => {
  for (const scenario of SCENARIOS) {
    describe(scenario.name, () => {
      const run = scenarioRun(scenario.name);

      it('every delivery is acknowledged with exactly 200', () => {
        assertAllAcknowledged(run.report);
        assert.ok(run.report.ok);
      });

      it('every stored delivery ends processed (none invalid, none left pending)', () => {
        assert.equal(run.deliveries.length, distinctBodies(run.plan.steps));
        for (const d of run.deliveries)
          assert.equal(d['state'], 'processed', `delivery ${d['id']}: ${d['state']} ${d['error'] ?? ''}`);
      });

      it('GET /events shows exactly expect.events, by name and count, each event once', () => {
        assert.deepEqual(countByName(run.events), run.plan.expect.events);
        const keys = new Set(run.events.map((e) => e['key']));
        assert.equal(keys.size, run.events.length, 'no event key appears twice');
        const wabas = new Set([run.ctx.business.wabaId, run.ctx.otherBusiness.wabaId]);
        for (const e of run.events) assert.ok(wabas.has(e['waba_id']), `waba_id ${e['waba_id']}`);
      });

      it('every key of every event is snake_case at every depth, except inside raw and objects kept as sent', () => {
        for (const e of run.events)
          for (const path of nonSnakeKeys(e))
            assert.fail(`${e['name']} ${e['key']}: key ${path} is not snake_case`);
      });

      it('GET /events?name= counts agree with the unfiltered listing', async () => {
        for (const [name, count] of Object.entries(run.plan.expect.events)) {
          const filtered = await pageAll(run.w, `/api/v1/events?name=${encodeURIComponent(name)}`);
          assert.equal(filtered.length, count, name);
        }
      });

      it('GET /messages/{wamid} reports each expect.messageStatus final status', async () => {
        for (const [wamid, status] of Object.entries(run.plan.expect.messageStatus ?? {})) {
          const m = await getOk(run.w, `/api/v1/messages/${encodeURIComponent(wamid)}`);
          assert.equal(m['wamid'], wamid);
          assert.equal(m['status'], status, `${wamid} final status`);
          assert.equal(m['failed'], status === 'failed', `${wamid} failed`);
        }
      });

      SPECIFIC[scenario.name]?.(run);
    });
  }
});
