import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/connect.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { embeddedDatabasesOpened } from '../helpers/embedded-reuse.ts';
import { insertArea, uniqueCode } from '../helpers/factories.ts';

// The embedded database is handed from test file to test file within a worker
// (tests/helpers/embedded-reuse.ts). A file must find it exactly as the template left it.

const embedded = !process.env.DATABASE_URL;

/** Every row of every table (but PostGIS's reference list) and every sequence, as one digest per table. */
async function contentOf(database: Database): Promise<Record<string, string>> {
  const { rows: tables } = await database.knex.raw<{ rows: { name: string }[] }>(
    `select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and relname <> 'spatial_ref_sys'`,
  );
  const content: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await database.knex.raw<{ rows: { digest: string | null; count: number }[] }>(
      `select md5(string_agg(t::text, ',' order by t::text)) as digest, count(*)::int as count from ?? t`,
      [name],
    );
    content[name] = `${rows[0]!.count} ${rows[0]!.digest ?? ''}`;
  }
  const { rows: sequences } = await database.knex.raw<{ rows: { name: string; last_value: number | null }[] }>(
    `select sequencename as name, last_value from pg_sequences where schemaname = 'public'`,
  );
  for (const { name, last_value: lastValue } of sequences) content[`sequence ${name}`] = String(lastValue);
  return content;
}

describe('the embedded test database handed from file to file', () => {
  const opened: TestDatabase[] = [];
  afterAll(async () => {
    for (const testDatabase of opened) await testDatabase.destroy();
  });

  it('comes back with the template’s rows and sequences after a file wrote, changed settings and left a temporary table', async (context) => {
    if (!embedded) return context.skip('embedded database only; on PostgreSQL every file gets a new database from the template');
    const first = await createTestDatabase();
    const before = await contentOf(first.database);
    const { knex } = first.database;
    await insertArea(knex, { code: uniqueCode('R'), name: 'Zurückgesetzt' });
    await knex('taxonomy_terms').update({ label_de: 'geändert' });
    await knex('indicators').del();
    await knex.raw(`select nextval('audit_events_id_seq') from generate_series(1, 5)`);
    await knex.raw(`set statement_timeout = '1s'`);
    await knex.raw('create temporary table left_behind (id int)');
    expect(await contentOf(first.database)).not.toEqual(before);
    await first.destroy();
    // what the finished file still holds is closed: it cannot reach the next file's data
    await expect(first.database.knex.raw('select 1')).rejects.toThrow();

    const openedBefore = embeddedDatabasesOpened();
    const second = await createTestDatabase();
    opened.push(second);
    expect(embeddedDatabasesOpened()).toBe(openedBefore);
    expect(await contentOf(second.database)).toEqual(before);
    const { rows } = await second.database.knex.raw<{ rows: { timeout: string }[] }>(`select current_setting('statement_timeout') as timeout`);
    expect(rows[0]!.timeout).toBe('0');
    await expect(second.database.knex.raw('select * from left_behind')).rejects.toThrow(/left_behind/);
  });

  it('is not handed on when a file changed the schema', async (context) => {
    if (!embedded) return context.skip('embedded database only; on PostgreSQL every file gets a new database from the template');
    const changed = await createTestDatabase();
    await changed.database.knex.raw('alter table areas rename to areas_gone');
    await changed.destroy();
    const openedBefore = embeddedDatabasesOpened();
    const next = await createTestDatabase();
    opened.push(next);
    expect(embeddedDatabasesOpened()).toBe(openedBefore + 1);
    const { rows } = await next.database.knex.raw<{ rows: { name: string | null }[] }>(`select to_regclass('areas')::text as name`);
    expect(rows[0]!.name).toBe('areas');
  });
});
