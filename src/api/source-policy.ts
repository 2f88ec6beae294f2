import { BlockList, isIP } from 'node:net';
import type { Answer } from './ingest-delivery.js';
import { parseCidr } from '../core/parse-cidr.js';
import { boundedMemo } from '../util/bounded-memo.js';

function blockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (!cidr) throw new Error(`not an address or CIDR range: ${entry}`);
    list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list;
}

const contains = (list: BlockList, address: string): boolean => {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
};

/**
 * Who may knock: the source address of a webhook POST, and whether it may deliver. The client
 * address comes from the connection, or — only when the connection comes from a trusted proxy — from
 * `X-Forwarded-For`, read right to left past the trusted proxies (the left part is whatever the
 * client wrote). Without an allow-list every source is admitted.
 */
export class SourcePolicy {
  private readonly allowed: BlockList | null;
  private readonly proxies: BlockList | null;
  /** Verdicts kept per address, so the common case (the same senders again) costs one Map lookup. */
  private readonly verdicts = boundedMemo(
    4096,
    (source: string) => this.allowed === null || contains(this.allowed, source),
  );

  constructor(
    options: { allowedCidrs: readonly string[]; trustedProxies: readonly string[] },
    private readonly refusal: () => Answer,
  ) {
    this.allowed = options.allowedCidrs.length > 0 ? blockList(options.allowedCidrs) : null;
    this.proxies = options.trustedProxies.length > 0 ? blockList(options.trustedProxies) : null;
  }

  /** Whether admit() has anything to do (no allow-list and no proxies: the remote address as it is). */
  get active(): boolean {
    return this.allowed !== null || this.proxies !== null;
  }

  /** The source address to believe, or the 403 answer. */
  readonly admit = (remote: string, forwardedFor: string | undefined): string | Answer => {
    const source = this.clientOf(remote, forwardedFor);
    return this.allows(source) ? source : this.refusal();
  };

  private clientOf(remote: string, forwardedFor: string | undefined): string {
    if (!this.proxies || forwardedFor === undefined || !contains(this.proxies, remote)) return remote;
    const hops = forwardedFor.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = (hops[i] as string).trim();
      if (i === 0 || !contains(this.proxies, hop)) return hop;
    }
    return remote;
  }

  private allows(source: string): boolean {
    if (!this.allowed) return true;
    return this.verdicts(source);
  }
}
