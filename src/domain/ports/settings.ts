// Instance settings an admin changes at run time.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.

export interface SettingsRepo {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Writes `value` only when the key has none yet. */
  setIfAbsent(key: string, value: string): Promise<void>;
}
