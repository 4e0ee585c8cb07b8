// User settings › Notifications: desktop notifications for mentions and direct messages while Harmony's tab is
// hidden. The browser's permission prompt comes only when this switch is turned on, never on load.
import { useState } from 'preact/hooks';
import { notificationsOn, notificationsSupported, setNotifications } from '../state/notifications.ts';
import { Switch } from './ui.tsx';

export function NotificationsSection() {
  const [on, setOn] = useState(notificationsOn);
  return (
    <section class="card stack" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {notificationsSupported() ? (
        <Switch
          label="Desktop notifications"
          hint={on ? 'for mentions and direct messages while this tab is hidden' : 'off on this device'}
          checked={on}
          onToggle={async (next) => setOn(await setNotifications(next))}
        />
      ) : (
        <p class="hint">This browser cannot show notifications.</p>
      )}
      <p class="hint">Which servers and channels may notify you is set with “Notifications” in each server’s channel list.</p>
    </section>
  );
}
