// Files attached to messages.

export type Attachment = {
  id: string;
  messageId: string;
  channelId: string;
  /** Order on the message, from 0. */
  position: number;
  filename: string;
  description: string | null;
  /** Sniffed from the bytes. */
  contentType: string;
  size: number;
  /** Set for images only. */
  width: number | null;
  height: number | null;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  /** Where the bytes are in the FileStore. */
  fileKey: string;
  /**
   * Set when an interaction record holds the file instead of a stored message (an ATTACHMENT option's upload, or a
   * file of an ephemeral answer): it is served under /ephemeral-attachments and goes when the interaction expires.
   */
  interactionId?: string;
};

/** An attachment as a dialect shows it: with a freshly signed URL. */
export type AttachmentView = Attachment & { url: string };
