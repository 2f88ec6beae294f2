import { createIds } from '../ids.js';
import type { Business, Person, ScenarioContext } from './types.js';

export interface ScenarioContextOptions {
  readonly seed: number;
  /**
   * Scenario name: message ids then come from a generator seeded by (seed, name), so a scenario
   * produces the same bytes whether it runs alone or after others; the cast stays the same.
   */
  readonly scenario?: string;
  /** Base time in Unix seconds (injected: scenario builders never read the clock). */
  readonly now: number;
  /** A message sent through Wharf, for `sent-message-statuses`. */
  readonly sent?: { readonly wamid: string; readonly to: string; readonly phoneNumberId: string };
}

/** Builds the seeded cast every scenario draws from; identical options give identical ids. */
export function createScenarioContext(options: ScenarioContextOptions): ScenarioContext {
  const cast = createIds(options.seed);
  const business = (country: string): Business => ({
    wabaId: cast.digits(15),
    phoneNumberId: cast.digits(15),
    displayPhoneNumber: country + cast.digits(10),
  });
  const person = (name: string, countryCode: string, iso: string, username?: string): Person => ({
    name,
    waId: countryCode + cast.digits(10),
    userId: cast.bsuid(iso),
    ...(username === undefined ? {} : { username }),
  });
  const lena: Person = { name: 'Léna Kowalski', userId: cast.bsuid('PL'), username: '@lena.k' };
  const ids = options.scenario === undefined ? cast : createIds(mixSeed(options.seed, options.scenario));
  return {
    ids,
    now: Math.floor(options.now),
    business: business('1'),
    otherBusiness: business('44'),
    ana: person('Ana Ruiz', '34', 'ES'),
    ben: { ...person('Ben Müller', '49', 'DE'), parentUserId: cast.parentBsuid('DE') },
    lena,
    ...(options.sent === undefined ? {} : { sent: options.sent }),
  };
}

/** FNV-1a over the name, folded into the seed. */
function mixSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
