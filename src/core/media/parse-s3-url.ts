/**
 * WHARF_MEDIA_S3_URL taken apart (pure):
 * - `s3://<bucket>[/<prefix>][?region=<region>]` — AWS S3; credentials from the SDK's chain
 *   (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role);
 * - `http(s)://[<key>:<secret>@]<host>[:<port>]/<bucket>[/<prefix>][?region=<region>]` — an
 *   S3-compatible server (MinIO, Ceph, s3rver) addressed path-style.
 * The region defaults to `us-east-1`.
 */
export interface S3Location {
  /** null for AWS itself. */
  readonly endpoint: string | null;
  readonly bucket: string;
  /** Without leading or trailing slashes; '' for the bucket's root. */
  readonly prefix: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | null;
}

export function parseS3Url(value: string): S3Location {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('is not a URL (s3://bucket/prefix or http(s)://host/bucket/prefix)');
  }
  const region = url.searchParams.get('region') ?? 'us-east-1';
  const credentials =
    url.username === ''
      ? null
      : { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) };
  const path = url.pathname.split('/').filter((p) => p !== '');
  if (url.protocol === 's3:') {
    if (url.hostname === '') throw new Error('names no bucket (s3://<bucket>/<prefix>)');
    return { endpoint: null, bucket: url.hostname, prefix: path.join('/'), region, credentials };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`has scheme ${url.protocol} (s3:, http: or https: expected)`);
  const [bucket, ...prefix] = path;
  if (bucket === undefined) throw new Error('names no bucket (http(s)://<host>/<bucket>/<prefix>)');
  return { endpoint: `${url.protocol}//${url.host}`, bucket, prefix: prefix.join('/'), region, credentials };
}
