import type { Knex } from 'knex';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService } from '../../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { geodataDir } from '../api/import-geodata.ts';
import { silentLogger } from '../helpers/app.ts';

export type LoadedArea = { id: string; code: string; name: string; districtName: string };

/**
 * The 9 Stadtbezirke and 86 Stadtteile (Sozialräume) of Cologne, through the project's own
 * importer (reprojection, ST_MakeValid of the few invalid 2013 polygons, parents by code).
 */
export async function loadKoelnAreas(knex: Knex): Promise<LoadedArea[]> {
  const imports = createImportsService({ db: knex, taxonomies: createTaxonomiesService({ db: knex }), datasets: createDatasetsService({ geodataDir, city: 'koeln' }), logger: silentLogger });
  const outcome = await imports.runAll(['koeln-stadtbezirke', 'koeln-stadtteile'].map((id) => imports.resolve(id)), { actor: 'test' });
  if (!outcome.ok) throw new Error(`the Cologne areas did not import: ${JSON.stringify(outcome.reports.map((report) => report.errors.slice(0, 5)))}`);
  const rows = (await knex('areas as a')
    .leftJoin('areas as d', 'd.id', 'a.parent_id')
    .where('a.level', 'sozialraum')
    .orderBy('a.code')
    .select('a.id', 'a.code', 'a.name', 'd.name as district_name')) as { id: string; code: string; name: string; district_name: string | null }[];
  return rows.map((row) => ({ id: row.id, code: row.code, name: row.name, districtName: row.district_name ?? '' }));
}
