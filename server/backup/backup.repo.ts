import type { Knex } from 'knex';

export interface TableChecksum {
  table: string;
  rows: number;
  /** md5 over every row's text form, in a stable order: equal tables give equal checksums. */
  checksum: string;
}

/** The project's own tables (schema public; PostGIS's spatial_ref_sys is reference data, not ours). */
export async function listTables(executor: Knex): Promise<string[]> {
  const result = await executor.raw<{ rows: { table_name: string }[] }>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'spatial_ref_sys'
      order by table_name`,
  );
  return result.rows.map((row) => row.table_name);
}

export async function tableChecksum(executor: Knex, table: string): Promise<TableChecksum> {
  const result = await executor.raw<{ rows: { rows: number | string; checksum: string }[] }>(
    `select count(*) as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as checksum from ?? as t`,
    [table],
  );
  const row = result.rows[0]!;
  return { table, rows: Number(row.rows), checksum: row.checksum };
}
