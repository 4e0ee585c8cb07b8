// Rich embeds on messages (parsed and limited in ../embeds.ts).

export type EmbedField = { name: string; value: string; inline: boolean };

export type EmbedAuthor = { name: string; url: string | null; iconUrl: string | null };

export type EmbedFooter = { text: string; iconUrl: string | null };

/** An image or thumbnail. Its size is unknown: Harmony does not download what embeds point at. */
export type EmbedMedia = { url: string };

/** A "rich" embed, the only kind a message author can send. */
export type Embed = {
  title: string | null;
  description: string | null;
  url: string | null;
  /** Milliseconds since the epoch. */
  timestamp: number | null;
  /** 0xRRGGBB. */
  color: number | null;
  footer: EmbedFooter | null;
  image: EmbedMedia | null;
  thumbnail: EmbedMedia | null;
  author: EmbedAuthor | null;
  fields: EmbedField[];
};
