import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    // The search vector follows the text fields; German stemming so that "Senioren" finds "Seniorentreff"
    // via prefix queries. A trigger rather than a generated column: to_tsvector(regconfig, text) with a
    // constant config is immutable, but a trigger keeps the weights easy to change later.
    `create function offers_search_vector_refresh() returns trigger language plpgsql as $$
      begin
        new.search_vector :=
          setweight(to_tsvector('german', coalesce(new.name, '')), 'A')
          || setweight(to_tsvector('german', coalesce(new.alternate_name, '')), 'B')
          || setweight(to_tsvector('german', coalesce(new.description, '')), 'C');
        return new;
      end
    $$`,
    `create trigger offers_search_vector_refresh before insert or update of name, alternate_name, description on offers
      for each row execute function offers_search_vector_refresh()`,
    `alter table offers add constraint offers_email_length check (email is null or length(email) <= 254)`,
    `alter table offers add constraint offers_website_length check (website is null or length(website) <= 2000)`,
    `alter table offers add constraint offers_languages_count check (cardinality(languages) <= 30)`,
    `alter table offers add constraint offers_cost_text_needs_kind check (cost_text is null or cost_kind is not null)`,
    `alter table offers add constraint offers_walk_reach_limit check (reach_kind is distinct from 'walk' or reach_meters <= 10000)`,
    `alter table offers add constraint offers_archived_after_created check (archived_at is null or archived_at >= created_at)`,
    // The default list: non-archived offers by name; the tie-breaker id keeps paging stable.
    `create index offers_list_name_idx on offers (lower(name), id) where archived_at is null`,
    `create index offers_archived_at_idx on offers (archived_at) where archived_at is not null`,
    // The other sorts of the list, with the id as tie-breaker so that a page is one index range.
    `create index offers_updated_at_id_idx on offers (updated_at, id)`,
    `create index offers_created_at_id_idx on offers (created_at, id)`,
    `create index offers_verified_at_id_idx on offers (verified_at, id)`,
    // Counts ("total") of filtered lists read this narrow index instead of the wide rows.
    `create index offers_filter_idx on offers (status, publication, department_id, offer_type_id, verified_at) where archived_at is null`,
    // Area filter: from the area's locations to their offers without touching the table.
    `create index offer_locations_location_offer_idx on offer_locations (location_id) include (offer_id)`,
    `create index location_areas_area_location_idx on location_areas (area_id) include (location_id)`,
    // "stale" (not verified within 12 months) as one index range; verified_at included for index-only counts.
    `create index offers_stale_idx on offers ((coalesce(verified_at, '-infinity'::timestamptz))) include (verified_at) where archived_at is null`,
    `create index audit_events_entity_version_idx on audit_events (entity_type, entity_id, entity_version)`,
    `alter table users add column last_login_at timestamptz`,
    // What an event adds beyond before/after, e.g. the version a restore went back to, or the import run.
    `alter table audit_events add column details jsonb`,
    // Locations keep the order in which staff entered them (the first is the main address).
    `alter table offer_locations add column position integer not null default 0 check (position between 0 and 999)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'alter table offer_locations drop column position',
    'alter table audit_events drop column details',
    'alter table users drop column last_login_at',
    'drop index audit_events_entity_version_idx',
    'drop index offers_stale_idx',
    'drop index location_areas_area_location_idx',
    'drop index offer_locations_location_offer_idx',
    'drop index offers_filter_idx',
    'drop index offers_verified_at_id_idx',
    'drop index offers_created_at_id_idx',
    'drop index offers_updated_at_id_idx',
    'drop index offers_archived_at_idx',
    'drop index offers_list_name_idx',
    'alter table offers drop constraint offers_archived_after_created',
    'alter table offers drop constraint offers_walk_reach_limit',
    'alter table offers drop constraint offers_cost_text_needs_kind',
    'alter table offers drop constraint offers_languages_count',
    'alter table offers drop constraint offers_website_length',
    'alter table offers drop constraint offers_email_length',
    'drop trigger offers_search_vector_refresh on offers',
    'drop function offers_search_vector_refresh()',
  ]);
}
