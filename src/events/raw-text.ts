/**
 * An event's `raw` item kept as its JSON text until something reads it. The dispatch writer thread
 * hands a claim's events to the main thread with each `raw` as text (claimed-rows-json.ts): a
 * format `event` body splices that text in (eventBody), so a delivered event's item is neither
 * parsed nor serialized again on the main thread; any other reader of `event.raw` gets the parsed
 * value, parsed once, on first read.
 */

const texts = new WeakMap<object, string>();

const parsedRaw = {
  enumerable: true,
  configurable: true,
  get(this: object): unknown {
    const value: unknown = JSON.parse(texts.get(this) ?? 'null');
    setRaw.call(this, value);
    return value;
  },
  set: setRaw,
};

function setRaw(this: object, value: unknown): void {
  texts.delete(this);
  Object.defineProperty(this, 'raw', { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Gives `event` (which has no `raw` member yet) a `raw` read from `text` when first read, and
 * remembers the text for rawTextOf. The event is returned.
 */
export function withRawText<E extends object>(event: E, text: string): E & { readonly raw: unknown } {
  texts.set(event, text);
  return Object.defineProperty(event, 'raw', parsedRaw) as E & { readonly raw: unknown };
}

/** The JSON text of `event.raw` when it is still the text it came as (withRawText), else undefined. */
export function rawTextOf(event: object): string | undefined {
  return texts.get(event);
}
