import type { Knex } from 'knex';
import { NotFoundError } from '../http/errors.ts';
import { bilingualValidationError, fillMessage, inBothLanguages } from '../http/localized-validation.ts';
import { coverageMessages } from './coverage.messages.ts';
import { buildDemandPoints, type CoverageModel, type DemandPoints } from './coverage-compute.ts';
import { listDemandStatistics, listIndicatorLabels, listStatisticsYears, type DemandStatistic } from './coverage.repo.ts';
import { field, type FieldLocation, type ResolvedTerms } from './coverage-question.ts';

// Demand: the residents of the target group per Sozialraum, from the first indicator set with
// statistics for the year, spread over the model's street segments.

export interface DemandStatistics {
  indicators: { code: string; label: string }[];
  year: number;
  availableYears: number[];
  statistics: DemandStatistic[];
  demand: DemandPoints;
}

export async function loadDemand(
  db: Knex,
  cityId: string | undefined,
  model: CoverageModel,
  terms: ResolvedTerms,
  askedYear: number | undefined,
  location: FieldLocation,
): Promise<DemandStatistics> {
  const { demandDefinition, targetGroupCode } = terms;
  const allCodes = [...new Set(demandDefinition.indicatorSets.flat())];
  // The labels of every candidate indicator come with the years (one wait instead of two).
  const [years, labels] = await Promise.all([listStatisticsYears(db, cityId, allCodes), listIndicatorLabels(db, cityId, allCodes)]);
  const yearsOf = (set: readonly string[]): number[] => {
    const perCode = set.map((code) => new Set(years.filter((row) => row.indicatorCode === code).map((row) => row.year)));
    return [...(perCode[0] ?? new Set<number>())].filter((year) => perCode.every((codeYears) => codeYears.has(year))).sort();
  };
  const candidates = demandDefinition.indicatorSets.map((set) => ({ set, years: yearsOf(set) })).filter((entry) => entry.years.length > 0);
  if (candidates.length === 0) {
    const params = { code: targetGroupCode, indicators: allCodes.join(', ') };
    const message = coverageMessages.statistics_not_found!;
    throw inBothLanguages(new NotFoundError(fillMessage(message, 'en', params), 'statistics_not_found'), message, params);
  }
  const availableYears = [...new Set(candidates.flatMap((entry) => entry.years))].sort();
  const chosen = askedYear ? candidates.find((entry) => entry.years.includes(askedYear)) : candidates[0];
  if (!chosen) {
    throw bilingualValidationError([
      {
        field: field(location, 'year'),
        code: 'no_statistics_for_year',
        message: coverageMessages.no_statistics_for_year!,
        params: { year: askedYear, years: availableYears.join(', ') },
      },
    ]);
  }
  const year = askedYear ?? chosen.years[chosen.years.length - 1]!;
  const statistics = await listDemandStatistics(db, cityId, chosen.set, year);
  const populationByArea = new Map<string, number>();
  for (const row of statistics) populationByArea.set(row.areaId, (populationByArea.get(row.areaId) ?? 0) + row.value);
  return {
    indicators: chosen.set.map((code) => ({ code, label: labels.find((label) => label.code === code)?.labelDe ?? code })),
    year,
    availableYears,
    statistics,
    demand: buildDemandPoints(model, populationByArea),
  };
}
