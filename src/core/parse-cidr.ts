import ipaddr from 'ipaddr.js';

export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/**
 * Parses `ip` or `ip/prefix` (IPv4 in four-part decimal, or IPv6); null if it is neither. The loose
 * IPv4 spellings ipaddr.js also reads (`0x7f.1`, `127.1`) are refused: a setting should say plainly
 * which network it means.
 */
export function parseCidr(entry: string): Cidr | null {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  if (extra !== undefined) return null;
  const family = ipaddr.IPv4.isValidFourPartDecimal(address)
    ? 'ipv4'
    : ipaddr.IPv6.isValid(address)
      ? 'ipv6'
      : null;
  if (family === null) return null;
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > max) return null;
  return { address, prefix, family };
}
