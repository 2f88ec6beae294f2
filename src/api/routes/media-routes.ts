/**
 * GET /api/v1/media/{media_id}: the file media capture stored (docs/sending.md, "Media"), streamed with its
 * content type; 404 MEDIA_NOT_STORED, saying why, while it is not there.
 */
import type { MediaDownloads, MediaRecord } from '../../ports/media-downloads.js';
import type { MediaBlobs } from '../../ports/media-blobs.js';
import type { ApiRoute } from '../api-router.js';
import { sendError } from '../send.js';

function whyNotStored(r: MediaRecord | null, downloading: boolean): string {
  if (r === null)
    return downloading
      ? // Registration follows processing by moments (the wharf:media outbox row), so "unknown" here
        // may be a message processed a moment ago: say both.
        'not downloaded yet: no download is registered for this media id (a message carrying it is registered moments after it is processed; an id no message carried stays unknown)'
      : 'no message carried this media id, and media downloads are off (WHATSAPP_ACCESS_TOKEN / WHARF_MEDIA_DOWNLOAD)';
  if (r.state === 'failed') return `given up after ${r.attempts} attempt(s): ${r.error ?? 'unknown error'}`;
  const next = new Date(r.nextAttemptAt).toISOString();
  return r.attempts === 0
    ? `not downloaded yet (due ${next})`
    : `not downloaded yet: attempt ${r.attempts} failed (${r.error ?? 'unknown error'}); next attempt ${next}`;
}

export function mediaRoutes(downloads: MediaDownloads, blobs: MediaBlobs, downloading: boolean): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/media/:media_id',
      summary: 'The stored media file (image, video, audio, document, sticker) with its content type',
      responses: {
        '200': {
          description: 'The bytes, as Meta served them (sha256 checked)',
          contentType: 'application/octet-stream',
        },
        '404': { description: 'Not stored (yet): the message says why', schema: 'Error' },
      },
      handler: async ({ res, params }) => {
        const id = params['media_id'] ?? '';
        const r = await downloads.get(id);
        if (r === null || r.state !== 'stored' || r.contentSha256 === null)
          return sendError(res, 'MEDIA_NOT_STORED', whyNotStored(r, downloading));
        const blob = await blobs.open(r.contentSha256);
        if (blob === null)
          return sendError(
            res,
            'MEDIA_NOT_STORED',
            `recorded as stored, but ${blobs.label} has no file ${r.contentSha256}`,
          );
        res.writeHead(200, {
          'content-type': r.contentType ?? r.mimeType ?? 'application/octet-stream',
          'content-length': blob.size,
          etag: `"${r.contentSha256}"`,
          'cache-control': 'private, max-age=31536000, immutable',
        });
        blob.body.on('error', () => res.destroy());
        res.on('close', () => blob.body.destroy());
        blob.body.pipe(res);
      },
    },
  ];
}
