// POST /interactions takes Discord's user-client body in both dialects (the v1 API shares it): this turns it into
// the domain's Invocation, files of a multipart body included, so the two routes cannot drift apart.
import type { Invocation } from '../domain/interactions/invocation.ts';
import { uploadsOf } from './uploads.ts';

export type InvocationBody = {
  type: number;
  application_id: string;
  guild_id?: string | null;
  channel_id: string;
  message_id?: string | null;
  session_id?: string | null;
  /** Discord's clients send a string; some libraries an integer. */
  nonce?: string | number | null;
  data?: unknown;
};

export function invocationOf(body: InvocationBody, request: Request): Invocation {
  return {
    type: body.type,
    applicationId: body.application_id,
    guildId: body.guild_id ?? null,
    channelId: body.channel_id,
    messageId: body.message_id ?? null,
    sessionId: body.session_id ?? null,
    nonce: body.nonce == null ? null : String(body.nonce),
    data: body.data,
    uploads: uploadsOf(request),
  };
}
