import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

// German compounds: "Beratung" should find "Schuldnerberatung" and "Sozialberatung", "Treff" the
// "Seniorentreff". PostgreSQL's German stemmer does not split compounds, and prefix queries only
// find the first part. The stems of an offer's words are kept once more, reversed, so that a word
// *ending* in a stem ("sozialberat" ends in "berat") is a prefix query on the reversed stems
// ("tareb:*" matches "tareblaizos"). Built-in text search only: no extension, the same on the
// embedded database and on PostgreSQL, with a GIN index like the forward vector.

/** The search-vector trigger function of migration 20261124110000, with or without the endings. */
function refreshFunction(withEndings: boolean): string {
  return `create or replace function offers_search_vector_refresh() returns trigger language plpgsql as $$
  begin
    new.search_vector :=
      setweight(to_tsvector('german', coalesce(new.name, '')), 'A')
      || setweight(to_tsvector('german', coalesce(new.alternate_name, '')), 'B')
      || setweight(to_tsvector('german', coalesce(new.description, '')), 'C');
    ${withEndings ? 'new.search_endings := offers_reversed_stems(new.search_vector);' : ''}
    return new;
  end
$$`;
}

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    // strip() leaves the lexemes as 'a' 'b'; reversing that text reverses every lexeme (and their
    // order, which a vector does not keep); the simple configuration takes them as they are.
    `create function offers_reversed_stems(vector tsvector) returns tsvector language sql immutable parallel safe as $$
      select to_tsvector('simple', reverse(strip(vector)::text))
    $$`,
    // The query side: a word's German stem, reversed, as a prefix query; null for stop words and
    // stems shorter than four letters ("Rat" would otherwise find every "Beratung").
    `create function word_ending_query(word text) returns tsquery language sql immutable parallel safe as $$
      select to_tsquery('simple', quote_literal(reverse(stem)) || ':*')
      from unnest(ts_lexize('german_stem', lower(word))) as stem
      where length(stem) >= 4
      limit 1
    $$`,
    `alter table offers add column search_endings tsvector`,
    `create index offers_search_endings_idx on offers using gin (search_endings)`,
    refreshFunction(true),
    // Last: the update queues the deferred search-generation trigger (migration 20261124140000),
    // and PostgreSQL refuses DDL on a table with pending trigger events in the same transaction.
    `update offers set search_endings = offers_reversed_stems(search_vector) where search_vector is not null`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    refreshFunction(false),
    'drop index offers_search_endings_idx',
    'alter table offers drop column search_endings',
    'drop function word_ending_query(text)',
    'drop function offers_reversed_stems(tsvector)',
  ]);
}
