// Avatar and icon rows (emoji keep theirs in the emoji rows).
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { StoredImage } from '../model/image.ts';

/** Repository of avatar and icon rows (emoji keep theirs in the emoji rows). */
export interface ImagesRepo {
  insert(kind: 'avatar' | 'icon', ownerId: string, image: StoredImage, at: number): Promise<void>;
  find(kind: 'avatar' | 'icon', ownerId: string, hash: string): Promise<StoredImage | null>;
  delete(kind: 'avatar' | 'icon', ownerId: string, hash: string): Promise<void>;
}
