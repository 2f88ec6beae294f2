/**
 * SSRF guard (outbound forwarding never reaches private networks unless allowed): which IP addresses an outbound `http`/`slack` destination may reach.
 * An allow-list: only ordinary public unicast is allowed, so every special range ipaddr.js knows
 * (private, loopback, link-local with the cloud metadata address 169.254.169.254, CGNAT, ULA,
 * multicast, documentation, benchmarking, reserved…) is refused, including ranges added later.
 * IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4) are
 * judged by the IPv4 address inside, because that is where the packets end up.
 */
import ipaddr from 'ipaddr.js';

/** Plain words for each range name of ipaddr.js (anything not listed is shown by its name). */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address (0.0.0.0/8 or ::)',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (169.254/16 holds the cloud metadata service; fe80::/10)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address (100.64/10)',
  private: 'a private network address (10/8, 172.16/12, 192.168/16)',
  reserved: 'a reserved, documentation or benchmarking address',
  uniqueLocal: 'an IPv6 unique local address (fc00::/7)',
  teredo: 'a Teredo tunnel address',
};

function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = v6.range();
  const b = v6.toByteArray();
  // Mapped (::ffff:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96, rfc6052), rfc6145: last 32 bits.
  if (range === 'ipv4Mapped' || range === 'rfc6052' || range === 'rfc6145')
    return new ipaddr.IPv4(b.slice(12, 16));
  // 6to4 (2002::/16): the IPv4 address is bits 16–48.
  if (range === '6to4') return new ipaddr.IPv4(b.slice(2, 6));
  return null;
}

/**
 * Why `ip` must not be connected to, in plain words, or null when it is an ordinary public
 * address. Anything that is not an IP address is refused too (fail closed).
 */
export function forbiddenAddressReason(ip: string): string | null {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(text)) return `${ip} is not an IP address`;
  const addr = ipaddr.parse(text);
  if (addr.kind() === 'ipv6') {
    const v4 = embeddedIPv4(addr as ipaddr.IPv6);
    if (v4 !== null) {
      const words = rangeWords(v4);
      return words === null ? null : `${text} embeds the IPv4 address ${v4.toString()}, ${words}`;
    }
  }
  const words = rangeWords(addr);
  return words === null ? null : `${text} is ${words}`;
}

function rangeWords(addr: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  const range = addr.range();
  if (range === 'unicast') return null;
  return RANGE_WORDS[range] ?? `in the special range "${range}"`;
}

/** True when `ip` is anything but an ordinary public unicast address. */
export function isForbiddenAddress(ip: string): boolean {
  return forbiddenAddressReason(ip) !== null;
}
