/** The system resolver (getaddrinfo, like any connect would use): every address of a hostname. */
import { lookup } from 'node:dns/promises';
import type { ResolveHost } from '../../core/destinations/check-destination-url.js';

export const resolveHost: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
