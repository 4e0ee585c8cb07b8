// Attachment URLs are signed and expire, as Discord's CDN links do: `?ex=<expiry>&is=<issued>&hm=<mac>`, unix
// seconds in hex and an HMAC-SHA256 (hex) over the channel, the attachment, and both times, under a secret that
// this instance generates once and keeps in its settings. Anyone holding a fresh link can fetch the file (like a
// CDN link, no token), nobody can forge or extend one, and a link copied out of a message stops working after a
// day. Every serialization mints a new link, so a client always gets one that is valid for the full lifetime.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Attachment, AttachmentUrls } from '../domain/attachments.ts';
import type { Clock } from '../domain/clock.ts';
import type { SettingsRepo } from '../domain/ports/index.ts';
import type { UnitOfWork } from '../domain/ports/unit-of-work.ts';

/** Where the attachments are served, under the server root (and under publicUrl's path). */
export const ATTACHMENTS_PATH = '/attachments';

/** Where files held by an interaction record are served (Discord's CDN calls them ephemeral attachments). */
export const EPHEMERAL_ATTACHMENTS_PATH = '/ephemeral-attachments';

/** How long a minted link stays valid. */
export const LINK_LIFETIME_SECONDS = 24 * 3600;

const SECRET_SETTING = 'attachment_link_secret';

export type LinkParams = { ex: string; is: string; hm: string };

export class AttachmentLinks implements AttachmentUrls {
  private secret: Buffer | null = null;
  private origin: string;

  constructor(
    private readonly settings: SettingsRepo,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'publicUrl' | 'host' | 'port'>,
  ) {
    this.origin = `http://127.0.0.1:${config.port}`;
  }

  /** The origin the server listens on, used when no public URL is configured (set by listen()). */
  listeningAt(origin: string): void {
    this.origin = origin;
  }

  /** The absolute URL of an attachment, signed for LINK_LIFETIME_SECONDS from now. */
  url(a: Pick<Attachment, 'id' | 'channelId' | 'filename' | 'interactionId'>): string {
    const issued = Math.floor(this.clock.now() / 1000);
    const ex = (issued + LINK_LIFETIME_SECONDS).toString(16);
    const is = issued.toString(16);
    const base = this.config.publicUrl ? this.config.publicUrl.replace(/\/+$/, '') : this.origin;
    // A file an interaction holds is found through the interaction, and signed in its own namespace.
    const [path, owner, scope] = a.interactionId
      ? [EPHEMERAL_ATTACHMENTS_PATH, a.interactionId, interactionScope(a.interactionId)]
      : [ATTACHMENTS_PATH, a.channelId, a.channelId];
    return `${base}${path}/${owner}/${a.id}/${encodeURIComponent(a.filename)}?ex=${ex}&is=${is}&hm=${this.mac(scope, a.id, ex, is)}`;
  }

  /** check() for a link to a file an interaction holds. */
  checkInteractionFile(interactionId: string, attachmentId: string, params: Partial<LinkParams>): number | null {
    return this.check(interactionScope(interactionId), attachmentId, params);
  }

  /** Seconds the link has left, or null when it is forged, tampered with, malformed or expired. */
  check(channelId: string, attachmentId: string, params: Partial<LinkParams>): number | null {
    const { ex, is, hm } = params;
    if (!ex || !is || !hm || !/^[0-9a-f]{1,12}$/.test(ex) || !/^[0-9a-f]{1,12}$/.test(is) || !/^[0-9a-f]{64}$/.test(hm)) return null;
    const expected = Buffer.from(this.mac(channelId, attachmentId, ex, is), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(hm, 'hex'))) return null;
    const left = Number.parseInt(ex, 16) - Math.floor(this.clock.now() / 1000);
    return left > 0 ? left : null;
  }

  private mac(channelId: string, attachmentId: string, ex: string, is: string): string {
    return createHmac('sha256', this.key()).update(`${channelId}:${attachmentId}:${ex}:${is}`).digest('hex');
  }

  /** Reads the instance's secret, creating it on first start (the stored one wins when two processes race); before any link is made or checked. */
  async load(uow: Pick<UnitOfWork, 'write'>): Promise<void> {
    let stored = await this.settings.get(SECRET_SETTING);
    stored ??= await uow.write(async () => {
      await this.settings.setIfAbsent(SECRET_SETTING, randomBytes(32).toString('hex'));
      return (await this.settings.get(SECRET_SETTING)) as string;
    });
    this.secret = Buffer.from(stored, 'hex');
  }

  private key(): Buffer {
    if (!this.secret) throw new Error('attachment links used before load()');
    return this.secret;
  }
}

/** What an interaction's file links are signed under: never a channel id, so no channel link opens one. */
const interactionScope = (interactionId: string) => `interaction-${interactionId}`;
