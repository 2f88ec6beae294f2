import { createIds } from '../ids.js';
import type { Business, Person, ScenarioContext } from './types.js';

export interface ScenarioContextOptions {
  readonly seed: number;
  /** Base time in Unix seconds (injected: scenario builders never read the clock). */
  readonly now: number;
}

/** Builds the seeded cast every scenario draws from; identical options give identical ids. */
export function createScenarioContext(options: ScenarioContextOptions): ScenarioContext {
  const ids = createIds(options.seed);
  const business = (country: string): Business => ({
    wabaId: ids.digits(15),
    phoneNumberId: ids.digits(15),
    displayPhoneNumber: country + ids.digits(10),
  });
  const person = (name: string, countryCode: string, iso: string, username?: string): Person => ({
    name,
    waId: countryCode + ids.digits(10),
    userId: ids.bsuid(iso),
    ...(username === undefined ? {} : { username }),
  });
  const lena: Person = { name: 'Léna Kowalski', userId: ids.bsuid('PL'), username: '@lena.k' };
  return {
    ids,
    now: Math.floor(options.now),
    business: business('1'),
    otherBusiness: business('44'),
    ana: person('Ana Ruiz', '34', 'ES'),
    ben: { ...person('Ben Müller', '49', 'DE'), parentUserId: ids.parentBsuid('DE') },
    lena,
  };
}
