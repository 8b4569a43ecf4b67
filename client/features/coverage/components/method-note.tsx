import { useTranslation } from 'react-i18next';
import type { CoverageMethod } from '../../../../server/coverage/coverage.schema';
import { formatDataDate, yearsApart } from '../utils/data-dates';

// The data dates, prominently: population and offers are often years apart, and every figure depends on both.
export function DataDates({ method }: { method: CoverageMethod }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const population = formatDataDate(method.demand.period, language);
  const offers = method.dataDates.offersUpdated ? formatDataDate(method.dataDates.offersUpdated, language) : '–';
  const apart = yearsApart(method.demand.period, method.dataDates.offersUpdated) >= 2;
  return (
    <div className={apart ? 'coverage-dates coverage-dates--apart' : 'coverage-dates'}>
      <p>
        <strong>{t('coverage.method.dates', { population, offers })}</strong>
      </p>
      {apart ? <p>{t('coverage.method.datesApart', { population: method.demand.period.slice(0, 4) })}</p> : null}
    </div>
  );
}

// Every figure states its method and data date: shown under the map, the table and the profile.
// The server names the basis (codes, dates, counts); the words are the client's, in the page language.
export function MethodNote({ method }: { method: CoverageMethod }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const number = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'de-DE');
  const bands = method.e2sfca.bands.map((band) => `≤ ${number.format(band.upToMeters)} m: ${number.format(band.weight)}`).join(', ');
  const basis = method.reach.basis === 'default' ? null : t(`coverage.method.basis.${method.reach.basis}`);
  const sources = [
    t('coverage.method.basisStatistics', { publisher: t('coverage.method.publisherCity') }),
    ...(method.network ? [t('coverage.method.basisStreets')] : []),
    t('coverage.method.basisOffers'),
  ];
  return (
    <details className="coverage-method" open>
      <summary>{t('coverage.method.title')}</summary>
      <ul>
        <li>
          {t('coverage.method.demand', {
            indicators: method.demand.indicators.map((indicator) => indicator.label).join(' + '),
            period: formatDataDate(method.demand.period, language),
          })}
        </li>
        <li>
          {t('coverage.method.reach', {
            meters: number.format(method.reach.meters),
            mode: method.reach.mode === 'walk' ? t('coverage.method.walk') : t('coverage.method.airline'),
          })}{' '}
          {method.reach.detourFactor !== null && method.reach.measuredOn !== 'street_network'
            ? t('coverage.method.detour', { factor: number.format(method.reach.detourFactor) })
            : null}
          {basis ? ` — ${basis}` : null}
        </li>
        <li>
          {t('coverage.method.supply', {
            offers: number.format(method.supply.offers),
            locations: number.format(method.supply.locations),
            updated: method.dataDates.offersUpdated ? formatDataDate(method.dataDates.offersUpdated, language) : '–',
          })}
        </li>
        <li>
          {t('coverage.method.e2sfca', {
            bands,
            measure: method.e2sfca.supplyMeasure === 'capacity' ? t('coverage.method.measureCapacity') : t('coverage.method.measureOffers'),
          })}
        </li>
        <li>{t('coverage.method.sources', { sources: sources.join('; ') })}</li>
      </ul>
    </details>
  );
}
