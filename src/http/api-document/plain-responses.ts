// What the operator endpoints and the file routes answer on success: JSON for /health, text for /metrics, the
// file's own bytes for attachments and CDN images. Documentation only, as the dialects' tables.
import { t } from 'elysia';
import type { SuccessResponse } from '../../dialects/discord/response-schemas.ts';

const Health = t.Object(
  {
    status: t.Union([t.Literal('ok'), t.Literal('degraded')], { description: 'degraded while a configured Discord bridge is not live' }),
    version: t.String(),
    node: t.String(),
    checks: t.Record(t.String(), t.Object({ status: t.String(), latency_ms: t.Number() })),
  },
  { title: 'Health' },
);

const bytes = (description: string): SuccessResponse[] => [
  { status: 200, description, schema: t.String({ format: 'binary', contentMediaType: 'application/octet-stream' }) },
];
const headers: SuccessResponse[] = [{ status: 200, description: 'The headers GET would send, without the bytes' }];
const image = bytes('The image as uploaded, with its real Content-Type (PNG, JPEG, GIF or WebP); 304 while If-None-Match matches');

/** Each route, by its full path as the document writes it. */
export const PLAIN_SUCCESS: Record<string, SuccessResponse[]> = {
  'GET /health': [{ status: 200, schema: Health, description: 'Every dependency answered its probe' }],
  'GET /metrics': [{ status: 200, description: 'Prometheus text format 0.0.4', schema: t.String({ contentMediaType: 'text/plain' }) }],
  'GET /attachments/{channelId}/{attachmentId}/{filename}': bytes('The file; inline only for raster images, a download otherwise'),
  'HEAD /attachments/{channelId}/{attachmentId}/{filename}': headers,
  'GET /ephemeral-attachments/{interactionId}/{attachmentId}/{filename}': bytes('The file; inline only for raster images, a download otherwise'),
  'HEAD /ephemeral-attachments/{interactionId}/{attachmentId}/{filename}': headers,
  'GET /avatars/{userId}/{file}': image,
  'GET /icons/{guildId}/{file}': image,
  'GET /emojis/{file}': image,
  'GET /embed/avatars/{file}': image,
};
