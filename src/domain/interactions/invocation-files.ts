// The files a person uploads with a command (ATTACHMENT options), as Discord's user client sends them: a multipart
// body whose `files[n]` parts are the bytes and whose `data.attachments` list names them ({id, filename,
// uploaded_filename?}, `id` being the upload's n); an option's value is such an id. Each upload an option names
// becomes an attachment the interaction record holds, with a fresh snowflake that the bot sees as the value and as
// the key of `resolved.attachments`. Uploads no option names are not kept.
import { FormErrors } from '../../http/api-error.ts';
import { type Attachment, type AttachmentLimits, describeUpload, fileTooLarge, type NewAttachment, type Upload } from '../attachments.ts';
import { FormReader } from '../form-reader.ts';

export type InvocationFiles = {
  /** The attachment id an option value names, minted the first time it is named; null when it names no upload. */
  resolve(value: string): string | null;
  /** The attachments the options named, with their bytes, in the order they were named. */
  named(): NewAttachment[];
};

/** `data.attachments` as sent: which upload each entry id stands for, and the name to show. */
function readEntries(raw: unknown, limits: AttachmentLimits): { id: string; filename: string | null }[] | null {
  if (raw === undefined || raw === null) return null;
  const errors = new FormErrors();
  const read = new FormReader(errors);
  const out: { id: string; filename: string | null }[] = [];
  read.list(raw, ['data', 'attachments'], { max: limits.maxCount }).forEach((item, i) => {
    const o = read.object(item, ['data', 'attachments', i], true);
    if (!o) return;
    const id = read.snowflake(o.id, ['data', 'attachments', i, 'id'], true);
    const filename = read.string(o.filename, ['data', 'attachments', i, 'filename'], 1024);
    if (id !== null) out.push({ id, filename });
  });
  errors.throwIfAny();
  return out;
}

export function invocationFiles(input: {
  uploads: readonly Upload[];
  /** `data.attachments` as sent. */
  entries: unknown;
  interactionId: string;
  channelId: string;
  limits: AttachmentLimits;
  mintId: () => string;
}): InvocationFiles {
  const { uploads, limits } = input;
  for (const upload of uploads) if (upload.bytes.length > limits.maxBytes) throw fileTooLarge(limits);
  const entries = readEntries(input.entries, limits);
  const byKey = new Map(uploads.map((u) => [u.key, u]));
  // With a list, only its ids name uploads (its filename wins); without one, each upload is named by its n.
  const named = new Map<string, { upload: Upload; filename: string }>();
  if (entries === null) for (const u of uploads) named.set(u.key, { upload: u, filename: u.filename });
  else
    for (const e of entries) {
      const upload = byKey.get(e.id);
      if (upload) named.set(e.id, { upload, filename: e.filename ?? upload.filename });
    }
  const made = new Map<Upload, NewAttachment>();
  return {
    resolve(value) {
      const found = named.get(value);
      if (!found) return null;
      const earlier = made.get(found.upload);
      if (earlier) return earlier.attachment.id;
      const id = input.mintId();
      const attachment: Attachment = describeUpload(found.upload, {
        id,
        messageId: input.interactionId,
        channelId: input.channelId,
        position: made.size,
        filename: found.filename,
        description: null,
        fileKey: `interactions/${input.channelId}/${id}`,
        interactionId: input.interactionId,
      });
      made.set(found.upload, { attachment, bytes: found.upload.bytes });
      return id;
    },
    named: () => [...made.values()],
  };
}
