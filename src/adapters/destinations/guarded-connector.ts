/**
 * The send-time half of the SSRF guard (private addresses are refused unless allowed): an undici connector that checks the address
 * it actually connects to. The hostname is resolved once, inside the connection, and those very
 * addresses are the ones dialled, so a DNS answer that turned private after the create-time check
 * (rebinding) is refused. IP literals never reach a lookup, so they are checked before connecting.
 */
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import type { ResolveHost } from '../../core/destinations/check-destination-url.js';
import { forbiddenAddressReason } from '../../core/destinations/forbidden-address.js';
import { WharfError } from '../../errors.js';
import { resolveHost } from './resolve-host.js';

export interface GuardOptions {
  readonly allowPrivate: boolean;
  /** Injected resolver (tests); the system resolver by default. */
  readonly lookup?: ResolveHost;
}

function refusal(host: string, address: string, reason: string): WharfError {
  const where = host === address ? '' : `${host} resolved to ${address}: `;
  return new WharfError(
    'DESTINATION_ADDRESS_FORBIDDEN',
    `refused to connect, ${where}${reason} (WHARF_DESTINATIONS_ALLOW_PRIVATE=true allows it)`,
  );
}

function guardedLookup(resolve: ResolveHost, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = all.filter((a) => family === 0 || isIP(a) === family);
        if (addresses.length === 0)
          return callback(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
            '',
          );
        if (!allowPrivate)
          for (const a of addresses) {
            const reason = forbiddenAddressReason(a);
            if (reason !== null) return callback(refusal(hostname, a, reason), '');
          }
        if (options.all)
          return callback(
            null,
            addresses.map((address) => ({ address, family: isIP(address) })),
          );
        return callback(null, addresses[0]!, isIP(addresses[0]!));
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, ''),
    );
  };
}

/** An undici `connect` option refusing forbidden addresses (unless allowed) at connect time. */
export function guardedConnector(
  options: GuardOptions & { readonly timeoutMs?: number },
): buildConnector.connector {
  const base = buildConnector({
    lookup: guardedLookup(options.lookup ?? resolveHost, options.allowPrivate),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && isIP(host) !== 0) {
      const reason = forbiddenAddressReason(host);
      if (reason !== null) return callback(refusal(host, host, reason), null);
    }
    base(opts, callback);
  };
}
