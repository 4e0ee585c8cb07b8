// A user's uploaded picture, or Discord's default avatar for their id (their initial when the id is no snowflake),
// with an optional presence dot. Colours are classes, not inline styles (strict CSP).
import { defaultAvatarUrl } from '../lib/people.ts';
import { imageUrl } from '../lib/urls.ts';
import type { Status, User } from '../lib/wire.ts';

export function displayName(user: Pick<User, 'username' | 'global_name'>): string {
  return user.global_name?.trim() || user.username;
}

const STATUS_LABEL: Record<Status, string> = { online: 'Online', idle: 'Idle', dnd: 'Do not disturb', offline: 'Offline' };

export function statusLabel(status: Status): string {
  return STATUS_LABEL[status];
}

export function Avatar({
  user,
  size = 'md',
  status,
  preview,
}: {
  user: Pick<User, 'id' | 'username' | 'global_name' | 'avatar'>;
  size?: 'sm' | 'md' | 'lg';
  status?: Status;
  /** A picked, not yet uploaded image (a data: URI) to show instead. */
  preview?: string | null;
}) {
  const uploaded = preview?.startsWith('data:image/') ? preview : imageUrl(user.avatar);
  const url = uploaded ?? defaultAvatarUrl(user.id);
  const name = displayName(user);
  const colour = /^\d+$/.test(user.id) ? Number(BigInt(user.id) % 8n) : 0;
  return (
    <span class={`avatar avatar-${size}`}>
      {url ? (
        <img src={url} alt="" loading="lazy" referrerpolicy="no-referrer" class={uploaded ? undefined : 'avatar-default'} />
      ) : (
        <span class={`avatar-initial avatar-c${colour}`} aria-hidden="true">
          {[...name][0]?.toUpperCase() ?? '?'}
        </span>
      )}
      {status ? <PresenceDot status={status} /> : null}
    </span>
  );
}

export function PresenceDot({ status }: { status: Status }) {
  return <span class={`dot dot-${status}`} role="img" aria-label={statusLabel(status)} title={statusLabel(status)} />;
}
