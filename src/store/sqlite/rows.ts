// Row values come back from SQLite as bigint (safeIntegers); these turn them into wire-safe types.
export type Int = bigint;

export const id = (value: Int): string => value.toString();
export const idOrNull = (value: Int | null): string | null => (value === null ? null : value.toString());
export const num = (value: Int): number => Number(value);
export const numOrNull = (value: Int | null): number | null => (value === null ? null : Number(value));
export const bool = (value: Int): boolean => value !== 0n;
