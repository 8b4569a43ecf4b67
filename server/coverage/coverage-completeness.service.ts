import type { Knex } from 'knex';
import type { RecordSource } from '../datasets/datasets.schema.ts';
import { localizedValidationError, type Language, fillMessage } from '../http/localized-validation.ts';
import { staleAfterMonths } from '../offers/offers.schema.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { countRecordsPerAreaAndSource, countRecordsPerSource, listAreasOfLevel, type CompletenessGroup } from './coverage-completeness.repo.ts';
import {
  type AreaCompleteness,
  type CompletenessQuery,
  type CompletenessResult,
  type CompletenessSource,
} from './coverage-completeness.schema.ts';
import { coverageMessages } from './coverage.messages.ts';

export interface CompletenessService {
  completeness(language: Language, query: CompletenessQuery): Promise<CompletenessResult>;
}

function sourceKeyOf(group: Pick<CompletenessGroup, 'source' | 'departmentCode'>): string {
  return group.source === null ? `department:${group.departmentCode}` : `dataset:${group.source}`;
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; its one method reads, groups and words the figures in sequence
export function createCompletenessService(deps: {
  db: Knex;
  taxonomies: Pick<TaxonomiesService, 'termIndex'>;
  /** The city's offer datasets by `source`: publisher, data date, known gaps (the datasets feature). */
  recordSources: () => RecordSource[];
  /** The city this process serves; the database's default city when left out. */
  cityId?: string;
}): CompletenessService {
  return {
    async completeness(language, query) {
      let offerTypeIds: string[] | null = null;
      let offerTypeCodes: Set<string> | null = null;
      if (query.offerType !== undefined) {
        const terms = (await deps.taxonomies.termIndex()).withDescendants('offer_type', query.offerType);
        if (terms.length === 0) {
          throw localizedValidationError(
            [{ field: 'query.offerType', code: 'unknown_term', message: fillMessage(coverageMessages.unknown_offer_type!, language, { code: query.offerType }) }],
            language,
          );
        }
        offerTypeIds = terms.map((term) => term.id);
        offerTypeCodes = new Set(terms.map((term) => term.code));
      }
      const filter = { offerTypeIds, verificationMonths: staleAfterMonths, cityId: deps.cityId };
      const [areas, groups, cityGroups] = await Promise.all([
        listAreasOfLevel(deps.db, query.level, deps.cityId),
        countRecordsPerAreaAndSource(deps.db, { ...filter, level: query.level }),
        countRecordsPerSource(deps.db, filter),
      ]);

      const datasets = new Map(deps.recordSources().map((source) => [source.source, source] as const));
      const sources = new Map<string, CompletenessSource>();
      for (const group of cityGroups) {
        const key = sourceKeyOf(group);
        const known = sources.get(key);
        if (known) {
          known.records += group.records;
          continue;
        }
        const dataset = group.source === null ? undefined : datasets.get(group.source);
        const incompleteTypes = dataset?.incompleteOfferTypes ?? [];
        sources.set(key, {
          key,
          kind: group.source === null ? 'department' : 'dataset',
          label: group.source === null ? group.departmentName : (dataset?.publisher ?? group.source),
          dataDate: dataset?.dataDate ?? null,
          knownIncomplete: offerTypeCodes === null ? incompleteTypes.length > 0 : incompleteTypes.some((code) => offerTypeCodes.has(code)),
          records: group.records,
        });
      }

      const byArea = new Map<string, CompletenessGroup[]>();
      for (const group of groups) byArea.set(group.areaId, [...(byArea.get(group.areaId) ?? []), group]);
      const areaRows: AreaCompleteness[] = areas.map((area) => {
        const own = byArea.get(area.id) ?? [];
        const perSource = new Map<string, number>();
        for (const group of own) perSource.set(sourceKeyOf(group), (perSource.get(sourceKeyOf(group)) ?? 0) + group.records);
        const dataDates = [...perSource.keys()].flatMap((key) => sources.get(key)?.dataDate ?? []).sort();
        return {
          areaId: area.id,
          code: area.code,
          name: area.name,
          level: query.level,
          records: own.reduce((sum, group) => sum + group.records, 0),
          rawRecords: own.reduce((sum, group) => sum + group.rawRecords, 0),
          verifiedRecords: own.reduce((sum, group) => sum + group.verifiedRecords, 0),
          recentlyVerifiedRecords: own.reduce((sum, group) => sum + group.recentlyVerifiedRecords, 0),
          lastVerifiedAt: own.reduce<string | null>((latest, group) => later(latest, group.lastVerifiedAt), null),
          oldestDataDate: dataDates[0] ?? null,
          sources: [...perSource].map(([key, records]) => ({ key, records })).sort((a, b) => b.records - a.records || a.key.localeCompare(b.key)),
          knownIncomplete: [...perSource.keys()].some((key) => sources.get(key)?.knownIncomplete === true),
        };
      });

      return {
        offerType: query.offerType ?? null,
        level: query.level,
        computedAt: new Date().toISOString(),
        verificationMonths: staleAfterMonths,
        sources: [...sources.values()].sort((a, b) => b.records - a.records || a.key.localeCompare(b.key)),
        totals: {
          records: cityGroups.reduce((sum, group) => sum + group.records, 0),
          rawRecords: cityGroups.reduce((sum, group) => sum + group.rawRecords, 0),
          verifiedRecords: cityGroups.reduce((sum, group) => sum + group.verifiedRecords, 0),
          recentlyVerifiedRecords: cityGroups.reduce((sum, group) => sum + group.recentlyVerifiedRecords, 0),
          lastVerifiedAt: cityGroups.reduce<string | null>((latest, group) => later(latest, group.lastVerifiedAt), null),
        },
        areas: areaRows,
      };
    },
  };
}
