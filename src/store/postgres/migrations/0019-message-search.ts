// Message search (mirrors src/db/migrations/0019-message-search.ts, whose FTS5 trigram index ignores case and
// diacritics in any script): pg_trgm's GIN index over the content folded by `harmony_search_fold` (unaccent, then
// lower case), so `harmony_search_fold(content) LIKE '%' || harmony_search_fold(term) || '%'` is an indexed
// substring match for terms of three characters or more, and the same match (a scan of the rows the other filters
// leave) for shorter ones. Both extensions ship in PostgreSQL's contrib and are trusted: a database owner may create
// them. The fold is declared IMMUTABLE (unaccent() is only STABLE, as its dictionary could change) so it can be
// indexed; it names the dictionary by schema so no search_path changes what it does. Lower-casing goes through ICU
// when the server has it, so capitals fold in every script whatever the database's locale.
import type { PgMigration } from '../migrate.ts';

export const messageSearch: PgMigration = {
  id: 19,
  name: 'message-search',
  async up(sql) {
    await sql.unsafe('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await sql.unsafe('CREATE EXTENSION IF NOT EXISTS unaccent');
    const [ext] = await sql<{ schema: string }[]>`
      SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`;
    const [icu] = await sql`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`;
    const schema = `"${(ext?.schema ?? 'public').replaceAll('"', '""')}"`;
    const collate = icu ? ' COLLATE "und-x-icu"' : '';
    await sql.unsafe(`
      CREATE FUNCTION harmony_search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT lower(${schema}.unaccent('${schema}.unaccent'::regdictionary, $1)${collate}) $$;
      CREATE INDEX messages_content_trgm ON messages USING gin (harmony_search_fold(content) gin_trgm_ops);
    `);
  },
};
