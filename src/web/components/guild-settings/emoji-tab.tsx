// Server Settings -> Emoji: the guild's custom emoji, uploading new ones and deleting them
// (manage_guild_expressions). The list stays current through GUILD_EMOJIS_UPDATE.
import { useState } from 'preact/hooks';
import { imageUrl } from '../../lib/urls.ts';
import { useAction, useLoad } from '../../lib/use-async.ts';
import type { GuildDetail } from '../../lib/wire.ts';
import { createEmoji, deleteEmoji, ensureEmojis } from '../../state/actions.ts';
import { app } from '../../state/app-state.ts';
import { useSelector } from '../../state/store.ts';
import { EMOJI_IMAGE_MAX_BYTES, ErrorText, Field, ImagePicker, Loading } from '../ui.tsx';

const NAME = /^[A-Za-z0-9_]{2,32}$/;

export function EmojiTab({ guild }: { guild: GuildDetail }) {
  const emojis = useSelector(app, (s) => s.emojis[guild.id]);
  const loaded = useLoad(() => ensureEmojis(guild.id), [guild.id]);
  const [name, setName] = useState('');
  const [image, setImage] = useState<string | null>(null);
  const [picker, setPicker] = useState(0);
  const upload = useAction(async () => {
    if (!image) throw new Error('Pick an image first.');
    await createEmoji(guild.id, name, image);
    setName('');
    setImage(null);
    setPicker((n) => n + 1);
  });
  const remove = useAction((emojiId: string) => deleteEmoji(guild.id, emojiId));

  return (
    <div class="stack">
      <form
        class="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void upload.run();
        }}
      >
        <h2>Upload an emoji</h2>
        <p class="hint">Use it in messages as :name: and in reactions. 50 static and 50 animated per server.</p>
        <Field label="Name" hint="2-32 letters, digits or _.">
          <input class="input" required maxLength={32} pattern="[A-Za-z0-9_]{2,32}" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Image" hint="A PNG, JPEG, GIF or WebP image of at most 256 KiB.">
          <ImagePicker key={picker} label="Emoji image" maxBytes={EMOJI_IMAGE_MAX_BYTES} onPick={setImage} />
        </Field>
        {image ? <img class="custom-emoji-lg" src={image} alt="Emoji preview" /> : null}
        <ErrorText error={upload.error} />
        <button type="submit" class="button primary" disabled={upload.busy || !image || !NAME.test(name)}>
          Upload emoji
        </button>
      </form>
      <section class="card stack" aria-labelledby="emoji-list-title">
        <h2 id="emoji-list-title">Emoji ({emojis?.length ?? 0})</h2>
        {!emojis ? (
          loaded.error ? (
            <ErrorText error={loaded.error} />
          ) : (
            <Loading />
          )
        ) : emojis.length === 0 ? (
          <p class="hint">No custom emoji yet.</p>
        ) : (
          <ul class="emoji-list">
            {emojis.map((emoji) => (
              <li key={emoji.id} class="row">
                <img class="custom-emoji-lg" src={imageUrl(emoji.url) ?? ''} alt="" />
                <code>:{emoji.name}:</code>
                {emoji.animated ? <span class="hint">animated</span> : null}
                <button type="button" class="button danger" aria-label={`Delete :${emoji.name}:`} onClick={() => void remove.run(emoji.id)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
        <ErrorText error={remove.error} />
      </section>
    </div>
  );
}
