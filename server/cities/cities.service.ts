import type { Knex } from 'knex';
import { seedReferenceData } from '../../seeds/reference-data.ts';
import type { IndicatorDefinition } from '../datasets/datasets.schema.ts';
import { listCities, upsertCity, type CityRow } from './cities.repo.ts';
import { initCityFolder } from './city-folder.ts';
import type { CitiesResponse, CityInitOptions, CityInitResult } from './cities.schema.ts';

/** `npm run cli -- city init`: writes a new city folder (no database needed). */
export function initCity(options: CityInitOptions): CityInitResult {
  return initCityFolder(options);
}

/**
 * Before a process serves a city or imports into it (main.ts, the CLI): the city exists in the
 * database, the shared taxonomies are loaded and the city's indicators — the bundled list plus its
 * own declarations — are stored for it.
 */
export async function prepareServedCity(
  db: Knex,
  city: { id: string; name: string },
  indicators: readonly IndicatorDefinition[],
): Promise<{ terms: number; indicators: number }> {
  await upsertCity(db, city);
  return seedReferenceData(db, { cityId: city.id, indicators });
}

/** The cities of one database (issue 13): each process serves one of them (CITY). */
export interface CitiesService {
  /** Start-up: the served city exists in the database, under its profile's name. */
  register(city: { id: string; name: string }): Promise<void>;
  list(): Promise<CityRow[]>;
  /** What GET /api/cities answers: the database's cities, the served one marked, with their portals. */
  summaries(): Promise<CitiesResponse>;
}

export function createCitiesService(deps: {
  db: Knex;
  /** The city this process serves; without it, summaries() marks none as current. */
  currentCityId?: string;
  /** Portal addresses from the city profiles this process knows (`portalUrl`). */
  portalUrl?: (cityId: string) => string | undefined;
}): CitiesService {
  return {
    register: (city) => upsertCity(deps.db, city),
    list: () => listCities(deps.db),
    async summaries() {
      const rows = await listCities(deps.db);
      return {
        current: deps.currentCityId ?? null,
        cities: rows.map((row) => ({ id: row.id, name: row.name, current: row.id === deps.currentCityId, portalUrl: deps.portalUrl?.(row.id) ?? null })),
      };
    },
  };
}
