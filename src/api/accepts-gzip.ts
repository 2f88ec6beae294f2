/**
 * Whether an Accept-Encoding header lets the answer be gzip: `gzip` listed without `q=0`, or else
 * `*` without it (RFC 9110 §12.5.3). Browsers' EventSource and fetch send `gzip, deflate, br…`.
 */
export function acceptsGzip(header: string | undefined): boolean {
  const codings = new Map<string, number>();
  for (const item of (header ?? '').split(',')) {
    const [coding = '', ...params] = item.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    codings.set(coding, q === undefined ? 1 : Number(q.slice(2)));
  }
  const q = codings.get('gzip') ?? codings.get('*') ?? 0;
  return q > 0;
}
