import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

// Street networks contain short unnamed connectors (Cologne's file has one). They belong to the
// walking network; the geocoder simply never matches them.
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'alter table street_segments alter column street_name drop not null',
    'alter table street_segments alter column street_key drop not null',
    `alter table street_segments add constraint street_segments_name_key_check
      check ((street_name is null) = (street_key is null))`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'alter table street_segments drop constraint street_segments_name_key_check',
    'delete from street_segments where street_name is null or street_key is null',
    'alter table street_segments alter column street_key set not null',
    'alter table street_segments alter column street_name set not null',
  ]);
}
