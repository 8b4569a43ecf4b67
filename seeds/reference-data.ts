import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';
import { projectRoot } from '../server/config.ts';
import { loadIndicatorFile } from '../server/datasets/city-files.ts';
import type { IndicatorDefinition } from '../server/datasets/datasets.schema.ts';

const termSchema = z.object({
  code: z.string(),
  parent: z.string().optional(),
  label_de: z.string(),
  label_en: z.string(),
  description_de: z.string().optional(),
  description_en: z.string().optional(),
  reach: z
    .union([
      z.object({ kind: z.enum(['walk', 'radius']), meters: z.number().int().positive() }),
      z.object({ kind: z.literal('area'), level: z.enum(['city', 'district', 'sozialraum', 'quarter']) }),
    ])
    .optional(),
});

const taxonomyFileSchema = z.object({
  taxonomies: z.array(z.object({ code: z.string(), name_de: z.string(), name_en: z.string() })),
  terms: z.record(z.string(), z.array(termSchema)),
});

function readJson(relativePath: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, relativePath), 'utf8')) as unknown;
}

/** The bundled indicator list every city starts with. */
export const bundledIndicatorsPath = path.join(projectRoot, 'geodata', 'indicators.json');

/**
 * Loads taxonomies (shared by all cities) and a city's indicator definitions: the bundled list
 * from geodata/indicators.json unless the city's own are given. Idempotent: existing codes are
 * updated in place so that ids referenced by offers and statistics stay stable. Without a city,
 * the indicators go to the database's default city.
 */
export async function seedReferenceData(
  knex: Knex,
  options: { cityId?: string; indicators?: readonly IndicatorDefinition[] } = {},
): Promise<{ terms: number; indicators: number }> {
  const taxonomyFile = taxonomyFileSchema.parse(readJson('geodata/taxonomies.json'));
  const indicators = options.indicators ?? loadIndicatorFile(bundledIndicatorsPath);
  let termCount = 0;
  await knex.transaction(async (trx) => {
    await trx('taxonomies').insert(taxonomyFile.taxonomies).onConflict('code').merge();
    for (const [taxonomy, terms] of Object.entries(taxonomyFile.terms)) {
      // parents first: a term may only name a parent defined above it
      const idsByCode = new Map<string, string>();
      for (const [index, term] of terms.entries()) {
        const parentId = term.parent ? idsByCode.get(term.parent) : null;
        if (term.parent && !parentId) throw new Error(`taxonomy ${taxonomy}: parent ${term.parent} of ${term.code} must come first`);
        const row = {
          taxonomy,
          code: term.code,
          parent_id: parentId ?? null,
          label_de: term.label_de,
          label_en: term.label_en,
          description_de: term.description_de ?? null,
          description_en: term.description_en ?? null,
          sort_order: index,
          default_reach_kind: term.reach?.kind ?? null,
          default_reach_meters: term.reach && 'meters' in term.reach ? term.reach.meters : null,
          default_reach_area_level: term.reach && 'level' in term.reach ? term.reach.level : null,
        };
        const [inserted] = (await trx('taxonomy_terms')
          .insert(row)
          .onConflict(['taxonomy', 'code'])
          .merge()
          .returning('id')) as { id: string }[];
        if (!inserted) throw new Error(`could not store term ${taxonomy}/${term.code}`);
        idsByCode.set(term.code, inserted.id);
        termCount += 1;
      }
    }
    const cityId = options.cityId ?? ((await trx.raw<{ rows: { id: string }[] }>('select default_city_id() as id')).rows[0]?.id);
    if (!cityId) throw new Error('the database has no default city (migration 20261204050100_create_cities)');
    if (indicators.length > 0) {
      await trx('indicators')
        .insert(
          indicators.map((indicator, index) => ({
            city_id: cityId,
            code: indicator.code,
            label_de: indicator.labelDe,
            label_en: indicator.labelEn,
            description_de: indicator.descriptionDe,
            description_en: indicator.descriptionEn,
            unit: indicator.unit,
            aggregation: indicator.aggregation,
            source: indicator.source,
            sort_order: index,
          })),
        )
        .onConflict(['city_id', 'code'])
        .merge();
    }
  });
  return { terms: termCount, indicators: indicators.length };
}
