/**
 * The dashboard's built files (npm run build → dist/ui), served at /ui/. Only files inside the folder
 * are served: the path is decoded once, must not hold `..`, a backslash or NUL, and the joined path
 * must stay under the folder. Hashed assets are immutable for a year; index.html is revalidated, so a
 * new build is picked up at once. Files are read once and kept (with their gzip) in memory: the
 * whole build is a few hundred kilobytes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sendError } from './send.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page may load only its own files and talk only to its own origin (no CDN, no outside request). */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface Loaded {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly type: string;
}

/** `/ui/…` → a path relative to the build folder, or null when it could leave the folder. */
export function uiRelativePath(pathname: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname.slice('/ui/'.length));
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').some((part) => part === '..')) return null;
  // A screen's address (/ui/messages/wamid…) is the single page; only names with an extension are files.
  if (rel === '' || extname(rel) === '') return 'index.html';
  return rel;
}

export function createUiHandler(dir: string) {
  const root = resolve(dir);
  const cache = new Map<string, Loaded>();

  async function load(rel: string): Promise<Loaded | null> {
    const hit = cache.get(rel);
    if (hit) return hit;
    const file = resolve(join(root, rel));
    if (!file.startsWith(root + sep)) return null;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const body = await readFile(file);
    const loaded = {
      body,
      gzip: gzipSync(body),
      type: TYPES[extname(file)] ?? 'application/octet-stream',
    };
    cache.set(rel, loaded);
    return loaded;
  }

  return async function serveUi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, 'METHOD_NOT_ALLOWED', undefined, { allow: 'GET, HEAD' });
    if (pathname === '/ui') {
      res.writeHead(308, { location: '/ui/' });
      res.end();
      return;
    }
    const rel = uiRelativePath(pathname);
    if (rel === null) return sendError(res, 'NOT_FOUND');
    const file = await load(rel);
    if (file === null)
      return sendError(
        res,
        'NOT_FOUND',
        rel === 'index.html' ? 'the dashboard is not built: run npm run build' : undefined,
      );
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzip : file.body;
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': body.length,
      'cache-control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
