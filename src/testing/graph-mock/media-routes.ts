/**
 * Meta's media download as the mock answers it (Meta's media page): `GET /{version}/{media-id}` →
 * `{messaging_product, url, mime_type, sha256, file_size, id}`; `GET <url>` with the same bearer
 * token → the bytes with their Content-Type, 404 once the URL's 5 minutes ran out. An unknown (or
 * forgotten) media id answers 404 with code 100.
 */
import type { GraphRoute } from './graph-route.js';

const unknownMedia = (id: string) => ({
  error: {
    httpStatus: 404,
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  },
});

export const mediaMetadataRoute: GraphRoute = {
  method: 'GET',
  pattern: /^\/(\d+)$/,
  handle(req, match, state) {
    const id = match[1] as string;
    const item = state.media.get(id);
    if (item === undefined) return unknownMedia(id);
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    return {
      status: 200,
      json: {
        messaging_product: 'whatsapp',
        url: `${origin}${state.media.issueUrl(id)}`,
        mime_type: item.mimeType,
        sha256: item.sha256,
        file_size: item.bytes.length,
        id,
      },
    };
  },
};

export const mediaDownloadRoute: GraphRoute = {
  method: 'GET',
  pattern: /^\/whatsapp_business\/attachments\/$/,
  versioned: false,
  handle(req, _match, state) {
    const found = state.media.resolve(req.query.get('ext') ?? '');
    if (found === null) return { status: 404, json: { error: 'URL expired or unknown' } };
    return { status: 200, bytes: found.bytes, headers: { 'content-type': found.item.mimeType } };
  },
};
