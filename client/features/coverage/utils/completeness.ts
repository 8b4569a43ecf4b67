// The honest sentence of the completeness table: "3 records from 2 sources, last verified on …".
// Pure, so it is unit-tested; the words come from the locale files.
import type { AreaCompleteness, CompletenessSource } from '../../../../server/coverage/coverage-completeness.schema';
import type { TFunction } from 'i18next';
import { formatDataDate } from './data-dates';

type Translate = TFunction;

export function completenessSentence(
  row: Pick<AreaCompleteness, 'records' | 'sources' | 'lastVerifiedAt'>,
  t: Translate,
  language: string,
): string {
  if (row.records === 0) return t('coverage.completeness.noRecords');
  const records = t('coverage.completeness.records', { count: row.records });
  const sources = t('coverage.completeness.sources', { count: row.sources.length });
  const verified = row.lastVerifiedAt
    ? t('coverage.completeness.lastVerified', { date: formatDataDate(row.lastVerifiedAt, language) })
    : t('coverage.completeness.neverVerified', { count: row.records });
  return t('coverage.completeness.sentence', { records, sources, verified });
}

/** A source as planners read it: its publisher or department, its data date, its known gap. */
export function sourceLabel(source: CompletenessSource, t: Translate, language: string): string {
  const parts = [source.label];
  if (source.kind === 'department') parts.push(t('coverage.completeness.keptByHand'));
  if (source.dataDate) parts.push(t('coverage.completeness.dataDate', { date: formatDataDate(source.dataDate, language) }));
  if (source.knownIncomplete) parts.push(t('coverage.completeness.knownIncomplete'));
  return `${parts[0]} (${parts.slice(1).join(', ')})`;
}
