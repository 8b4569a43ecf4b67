import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

// Raw records of bulk imports (an OSM point without a name, "- Apotheke", a name that is only the
// street address) are kept for staff and planners but not shown to citizens until a department
// adopts them by editing the record, which clears the reason (server/offers/offers.repo.ts).
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `alter table offers add column raw_reason text
       check (raw_reason is null or raw_reason in ('unnamed', 'raw_name', 'name_is_address'))`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['alter table offers drop column raw_reason']);
}
