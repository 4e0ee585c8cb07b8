// Avatar and icon images as they are kept.

/** Where a stored image's bytes are and what they are. */
export type StoredImage = { hash: string; fileKey: string; contentType: string; size: number; width: number; height: number };
