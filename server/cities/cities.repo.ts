import type { Knex } from 'knex';

type Executor = Knex | Knex.Transaction;

/** A city as the database knows it. */
export interface CityRow {
  id: string;
  name: string;
  isDefault: boolean;
}

/** Registers the city (or renames it to its profile's name); the first city becomes the default. */
export async function upsertCity(executor: Executor, city: { id: string; name: string }): Promise<void> {
  await executor.raw(
    `insert into cities (id, name, is_default)
     values (?, ?, not exists (select 1 from cities where is_default))
     on conflict (id) do update set name = excluded.name, updated_at = now()
     where cities.name is distinct from excluded.name`,
    [city.id, city.name],
  );
}

export async function listCities(executor: Executor): Promise<CityRow[]> {
  const rows = (await executor('cities').select('id', 'name', 'is_default').orderBy('name')) as { id: string; name: string; is_default: boolean }[];
  return rows.map((row) => ({ id: row.id, name: row.name, isDefault: row.is_default }));
}
