import { useTranslation } from 'react-i18next';
import type { CompletenessLevel } from '../../../../server/coverage/coverage-completeness.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { useCompleteness } from '../api/get-completeness';
import { completenessSentence, sourceLabel } from '../utils/completeness';

type CompletenessTableProps = {
  offerType: string;
  offerTypeLabel: string;
  level: CompletenessLevel;
};

// How much the figures above can be trusted: records, sources and verification per area, at the map's level.
export function CompletenessTable({ offerType, offerTypeLabel, level }: CompletenessTableProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const query = useCompleteness(offerType, level);
  const result = query.data;
  const number = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'de-DE');
  const sourcesByKey = new Map((result?.sources ?? []).map((source) => [source.key, source] as const));
  return (
    <section className="coverage-completeness" aria-labelledby="coverage-completeness-heading">
      <h3 id="coverage-completeness-heading">{t('coverage.completeness.heading', { offerType: offerTypeLabel })}</h3>
      {query.isPending ? <StatusMessage>{t('coverage.completeness.loading')}</StatusMessage> : null}
      {query.isError ? <ErrorMessage error={query.error} onRetry={() => void query.refetch()} /> : null}
      {result ? (
        <>
          <p>
            {result.totals.records === 0
              ? t('coverage.completeness.cityWideNone')
              : t('coverage.completeness.cityWide', {
                  sentence: completenessSentence(
                    { records: result.totals.records, sources: result.sources, lastVerifiedAt: result.totals.lastVerifiedAt },
                    t,
                    language,
                  ),
                })}{' '}
            {result.totals.records > 0
              ? t('coverage.completeness.recent', {
                  count: result.totals.recentlyVerifiedRecords,
                  total: number.format(result.totals.records),
                  months: result.verificationMonths,
                })
              : null}{' '}
            {result.totals.rawRecords > 0 ? t('coverage.completeness.raw', { count: result.totals.rawRecords }) : null}
          </p>
          {result.sources.length > 0 ? (
            <ul className="coverage-completeness__sources">
              {result.sources.map((source) => (
                <li key={source.key}>
                  {sourceLabel(source, t, language)}: {t('coverage.completeness.records', { count: source.records })}
                </li>
              ))}
            </ul>
          ) : null}
          <p className="coverage-completeness__note">{t('coverage.completeness.note')}</p>
          <div className="coverage-table__scroll" tabIndex={0} role="region" aria-label={t('coverage.completeness.caption')}>
            <table className="coverage-table">
              <caption>{t('coverage.completeness.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(`coverage.completeness.area.${level}`)}</th>
                  <th scope="col">{t('coverage.completeness.columns.records')}</th>
                  <th scope="col">{t('coverage.completeness.columns.sources')}</th>
                  <th scope="col">{t('coverage.completeness.columns.recent', { months: result.verificationMonths })}</th>
                  <th scope="col">{t('coverage.completeness.columns.summary')}</th>
                </tr>
              </thead>
              <tbody>
                {[...result.areas]
                  .sort((a, b) => a.name.localeCompare(b.name, language))
                  .map((area) => (
                    <tr key={area.areaId} className={area.records === 0 ? 'is-empty' : undefined}>
                      <th scope="row">{area.name}</th>
                      <td className="is-number">{number.format(area.records)}</td>
                      <td>
                        {area.sources.length === 0
                          ? '–'
                          : area.sources.map((entry) => `${sourcesByKey.get(entry.key)?.label ?? entry.key} (${number.format(entry.records)})`).join(', ')}
                      </td>
                      <td className="is-number">
                        {area.records === 0 ? '–' : `${number.format(area.recentlyVerifiedRecords)} / ${number.format(area.records)}`}
                      </td>
                      <td>
                        {area.records === 0
                          ? completenessSentence(area, t, language)
                          : t('coverage.completeness.row', { sentence: completenessSentence(area, t, language) })}
                        {area.knownIncomplete ? ` ${t('coverage.completeness.areaIncomplete')}` : null}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
