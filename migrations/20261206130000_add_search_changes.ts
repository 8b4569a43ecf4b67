import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

/** Generations whose changed offers stay in the log: an index further behind is built anew. */
const keptGenerations = 1000;
/** Changed offers one transaction logs; beyond, it logs one row without an offer: "build anew". */
const loggedPerTransaction = 1000;

// Which offers each generation of the search's change counter changed (docs/search.md, "An index
// behind the data"): the in-memory index answers every search that none of them touches while it
// is built anew, where before every search after an edit went to SQL until the new index was in
// use (8 s at 100k offers, minutes at 1M). The counter's trigger (20261124140000) logs them, in the
// same transaction and so with the same visibility as the data. A row without an offer stands for
// a change that may touch any offer (a taxonomy term) or for more than `loggedPerTransaction` offers
// (an import), after which the transaction logs nothing more.

const bumpAndLog = `create or replace function search_generation_bump() returns trigger language plpgsql as $$
  declare
    this_generation bigint;
    logged integer;
    inserted integer;
    changed uuid[];
  begin
    if current_setting('angebotsatlas.search_generation_bumped', true) is distinct from txid_current()::text then
      perform set_config('angebotsatlas.search_generation_bumped', txid_current()::text, true);
      update search_generation set generation = generation + 1 where singleton returning generation into this_generation;
      perform set_config('angebotsatlas.search_generation_value', this_generation::text, true);
      perform set_config('angebotsatlas.search_changes_logged', '0', true);
      delete from search_changes where generation <= this_generation - ${keptGenerations};
    end if;
    logged := current_setting('angebotsatlas.search_changes_logged')::integer;
    if logged > ${loggedPerTransaction} then
      return null;
    end if;
    this_generation := current_setting('angebotsatlas.search_generation_value')::bigint;
    if tg_table_name = 'taxonomy_terms' then
      logged := ${loggedPerTransaction} + 1;
    elsif tg_table_name = 'offers' then
      changed := case tg_op when 'INSERT' then array[new.id] when 'DELETE' then array[old.id] else array[old.id, new.id] end;
    elsif tg_table_name in ('offer_locations', 'offer_terms') then
      changed := case tg_op when 'INSERT' then array[new.offer_id] when 'DELETE' then array[old.offer_id] else array[old.offer_id, new.offer_id] end;
    elsif tg_op = 'INSERT' then
      -- a new location or organization belongs to no offer yet: the offer's own rows log it
      return null;
    elsif tg_table_name = 'locations' then
      select array_agg(ol.offer_id) into changed from offer_locations ol where ol.location_id = old.id;
    elsif tg_table_name = 'organizations' then
      select array_agg(o.id) into changed from offers o where o.organization_id = old.id;
    end if;
    if changed is not null then
      insert into search_changes (generation, offer_id)
        select this_generation, offer_id from unnest(changed) as offer_id
        on conflict do nothing;
      get diagnostics inserted = row_count;
      logged := logged + inserted;
    end if;
    if logged > ${loggedPerTransaction} then
      insert into search_changes (generation, offer_id) values (this_generation, null);
    end if;
    perform set_config('angebotsatlas.search_changes_logged', logged::text, true);
    return null;
  end
$$`;

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table search_changes (
      generation bigint not null,
      offer_id uuid
    )`,
    // One row per offer and generation (rows without an offer are distinct: nulls never conflict).
    `create unique index search_changes_generation_offer_idx on search_changes (generation, offer_id)`,
    // Generations up to this one were never logged: an index built from them is built anew.
    `alter table search_generation add column changes_logged_after bigint`,
    `update search_generation set changes_logged_after = generation`,
    bumpAndLog,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create or replace function search_generation_bump() returns trigger language plpgsql as $$
      begin
        if current_setting('angebotsatlas.search_generation_bumped', true) is distinct from txid_current()::text then
          perform set_config('angebotsatlas.search_generation_bumped', txid_current()::text, true);
          update search_generation set generation = generation + 1 where singleton;
        end if;
        return null;
      end
    $$`,
    'alter table search_generation drop column changes_logged_after',
    'drop table search_changes',
  ]);
}
