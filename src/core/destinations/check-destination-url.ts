/**
 * The create/change-time SSRF check of an `http` or `slack` destination URL:
 * `https://` only and a host whose every address is public, unless private addresses are allowed
 * (WHARF_DESTINATIONS_ALLOW_PRIVATE). Pure: the resolver is injected. The send-time check of the
 * address actually connected to lives in src/adapters/destinations/guarded-agent.ts; both are
 * needed, because DNS can answer differently between the two (rebinding).
 */
import ipaddr from 'ipaddr.js';
import { WharfError } from '../../errors.js';
import { forbiddenAddressReason } from './forbidden-address.js';

/** Every address a hostname resolves to (A and AAAA). */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>;

export interface CheckDestinationUrlOptions {
  readonly allowPrivate: boolean;
  readonly lookup: ResolveHost;
}

const ALLOW_HINT = 'set WHARF_DESTINATIONS_ALLOW_PRIVATE=true to allow it (tests, on-premises)';

/** Resolves when `url` may be a destination; otherwise throws DESTINATION_ADDRESS_FORBIDDEN saying why. */
export async function checkDestinationUrl(url: string, options: CheckDestinationUrlOptions): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WharfError('DESTINATION_ADDRESS_FORBIDDEN', 'the url is not a valid absolute URL');
  }
  const scheme = parsed.protocol;
  if (scheme !== 'https:' && scheme !== 'http:')
    throw new WharfError('DESTINATION_ADDRESS_FORBIDDEN', `the url must be https:// (it is ${scheme}//)`);
  if (options.allowPrivate) return;
  if (scheme !== 'https:')
    throw new WharfError('DESTINATION_ADDRESS_FORBIDDEN', `the url must be https:// (${ALLOW_HINT})`);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : await resolve(options.lookup, host);
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason !== null)
      throw new WharfError(
        'DESTINATION_ADDRESS_FORBIDDEN',
        `${host === address ? '' : `${host} resolves to ${address}: `}${reason}; ${ALLOW_HINT}`,
      );
  }
}

async function resolve(lookup: ResolveHost, host: string): Promise<readonly string[]> {
  let addresses: readonly string[];
  try {
    addresses = await lookup(host);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new WharfError(
      'DESTINATION_ADDRESS_FORBIDDEN',
      `${host} could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  if (addresses.length === 0)
    throw new WharfError('DESTINATION_ADDRESS_FORBIDDEN', `${host} resolves to no address`);
  return addresses;
}
