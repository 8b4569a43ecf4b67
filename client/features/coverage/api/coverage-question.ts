import type { DistanceBandInput, ReachMode } from '../../../../server/coverage/coverage.schema';

// The question every coverage request shares; it lives in the URL (shareable view state).
export type CoverageQuestion = {
  offerType: string;
  mode: ReachMode | null;
  distance: number | null;
  year: number | null;
  bands?: DistanceBandInput[] | null;
};

export function questionSearch(question: CoverageQuestion): URLSearchParams {
  const search = new URLSearchParams({ offerType: question.offerType });
  if (question.mode) search.set('mode', question.mode);
  if (question.distance) search.set('distance', String(question.distance));
  if (question.year) search.set('year', String(question.year));
  if (question.bands && question.bands.length > 0) {
    search.set('bands', question.bands.map((band) => `${band.upToMeters}:${band.weight}`).join(','));
  }
  return search;
}

export function questionBody(question: CoverageQuestion): Record<string, unknown> {
  return {
    offerType: question.offerType,
    ...(question.mode ? { mode: question.mode } : {}),
    ...(question.distance ? { distance: question.distance } : {}),
    ...(question.year ? { year: question.year } : {}),
  };
}
