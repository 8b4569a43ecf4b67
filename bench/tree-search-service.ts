/**
 * One tree's search service in this process, for the benches that compare trees
 * (`bench/search-service-cpu.ts`, `bench/search-pages-compare.ts`): the modules are loaded from
 * that tree's server/ (its own code, not this tree's), the service is built over DATABASE_URL's
 * offers as the app builds it for Cologne, and its index is built before it is returned.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Connect from '../server/db/connect.ts';
import type * as Geocoding from '../server/geocoding/geocoding.service.ts';
import type * as OpeningHours from '../server/shared/opening-hours.ts';
import type * as SearchSchema from '../server/search/search.schema.ts';
import type * as SearchService from '../server/search/search.service.ts';
import type * as Taxonomies from '../server/taxonomies/taxonomies.service.ts';
import type * as Validation from '../server/http/localized-validation.ts';

export async function treeSearchService(tree: string) {
  const root = path.resolve(tree);
  const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(root, file)).href)) as T;
  const { connectDatabase } = await load<typeof Connect>('server/db/connect.ts');
  const { createGeocodingService } = await load<typeof Geocoding>('server/geocoding/geocoding.service.ts');
  const { createOpeningHoursEvaluator } = await load<typeof OpeningHours>('server/shared/opening-hours.ts');
  const { searchQuerySchema } = await load<typeof SearchSchema>('server/search/search.schema.ts');
  const { createSearchService } = await load<typeof SearchService>('server/search/search.service.ts');
  const { createTaxonomiesService } = await load<typeof Taxonomies>('server/taxonomies/taxonomies.service.ts');
  const { parseLocalized } = await load<typeof Validation>('server/http/localized-validation.ts');
  const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 4 });
  const db = database.knex;
  const search = createSearchService({
    db,
    geocoding: createGeocodingService({ db, cityNames: ['Köln'] }),
    taxonomies: createTaxonomiesService({ db }),
    openingHours: createOpeningHoursEvaluator({ holidayState: 'NW' }),
  });
  await search.warmIndex();
  return { search, searchQuerySchema, parseLocalized, close: () => database.close() };
}
