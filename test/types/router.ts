/**
 * Type-level tests, checked by `npm run typecheck` (never executed). Positive cases must compile;
 * every `@ts-expect-error` line must fail to compile, or the typecheck fails.
 */
import { createRouter } from '../../src/events/router.js';
import { HandlerRegistry } from '../../src/app/handler-registry.js';
import type { Handler } from '../../src/events/handler.js';
import type { NamesMatching } from '../../src/events/event-pattern.js';
import type { EventDataMap } from '../../src/events/event-data.js';
import type { EventName } from '../../src/events/event-names.js';
import type { MediaInfo, WaErrorInfo } from '../../src/events/event-data.js';
import { expectType, type Equal, type Expect } from './expect-type.js';

const router = createRouter();

router.on('message.text', (event) => {
  expectType<'message.text'>(event.name);
  expectType<string>(event.data.body);
  expectType<string | undefined>(event.wamid);
  // @ts-expect-error a text message has no media
  void event.data.media;
});

router.on('message.image', (event) => {
  expectType<MediaInfo>(event.data.media);
  expectType<'image'>(event.data.kind);
});

router.on('status.failed', (event) => {
  expectType<readonly WaErrorInfo[]>(event.data.errors);
  expectType<'failed'>(event.data.status);
});

router.on(['status.sent', 'status.delivered'], (event) => {
  expectType<'sent' | 'delivered'>(event.data.status);
  // @ts-expect-error read is not among the names listed
  expectType<'read'>(event.data.status);
});

router.on('status.*', (event) => {
  type Names = typeof event.name;
  type _AllStatuses = Expect<Equal<Names, Extract<EventName, `status.${string}`>>>;
  if (event.name === 'status.unknown') expectType<string>(event.data.reason);
});

router.on('message.*', (event) => {
  if (event.name === 'message.reaction') expectType<boolean>(event.data.removed);
  // @ts-expect-error status events are not messages
  if (event.name === 'status.sent') return;
});

router.on('template.status', async (event) => {
  expectType<string>(event.data.event);
  expectType<number | null>(event.occurredAt);
  await Promise.resolve();
});

router.on('user.preferences', (event) => expectType<string | undefined>(event.data.value), {
  phoneNumberId: '900000000000001',
  contact: ['GB.1', '447700900123'],
});

router.onAny((event) => expectType<EventName>(event.name));
router.onError(({ error, event, pattern }) => {
  expectType<unknown>(error);
  expectType<EventName>(event.name);
  expectType<string>(pattern);
});

// @ts-expect-error not an event name
router.on('message.nope', () => undefined);
// @ts-expect-error not an event prefix
router.on('nope.*', () => undefined);
// @ts-expect-error the handler's parameter must accept the event
router.on('message.text', (event: { name: 'status.sent' }) => void event);

// EventDataMap has exactly one entry per event name.
type _DataKeys = Expect<Equal<keyof EventDataMap, EventName>>;

// One spelling of a prefix, two accepted: `status.` (canonical) narrows exactly like `status.*`.
router.on('status.', (event) => {
  type _SameAsStar = Expect<Equal<typeof event.name, Extract<EventName, `status.${string}`>>>;
  if (event.name === 'status.failed') expectType<readonly WaErrorInfo[]>(event.data.errors);
});
router.on(['message.', 'status.failed'], (event) => {
  type _Union = Expect<Equal<typeof event.name, Extract<EventName, `message.${string}`> | 'status.failed'>>;
  if (event.name === 'status.failed') expectType<'failed'>(event.data.status);
});
type _PrefixPatterns = Expect<Equal<NamesMatching<'template.'>, NamesMatching<'template.*'>>>;
// @ts-expect-error not an event prefix
router.on('nope.', () => undefined);
// @ts-expect-error a prefix takes one star at most
router.on('status.**', () => undefined);
// @ts-expect-error a name is not a prefix: no star after it
router.on('status.read.*', () => undefined);

// wharf.on takes the same patterns and the one Handler, with the attempt context.
const registry = new HandlerRegistry();
registry.on('status.', (event, ctx) => {
  type _Statuses = Expect<Equal<typeof event.name, Extract<EventName, `status.${string}`>>>;
  expectType<number>(ctx.attempt);
});
// A router handler fits wharf.on as is.
const routerHandler: Handler<'message.text'> = (event) => expectType<string>(event.data.body);
registry.on('message.text', routerHandler);
// @ts-expect-error not an event name
registry.on('message.txt', () => undefined);
