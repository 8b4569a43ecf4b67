import type { AreaCoverage, CoverageMethod } from '../../../../server/coverage/coverage.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { useAreaProfile } from '../api/get-area-profile';
import { useTranslation } from 'react-i18next';
import { formatIndicator, indicatorValue, mappableIndicators } from '../utils/indicators';
import { DataDates, MethodNote } from './method-note';
import { PopulationChart } from './population-chart';

type AreaProfileProps = {
  areaId: string;
  offerType: string;
  coverage: AreaCoverage | null;
  city: AreaCoverage | null;
  method: CoverageMethod | null;
  onClose: () => void;
};

// The area report: the browser prints the profile alone (print CSS in coverage.css); its print
// dialog saves it as PDF, so no PDF library is needed and the report stays accessible HTML.
function printAreaReport(): void {
  document.body.classList.add('is-printing-area-report');
  window.addEventListener('afterprint', () => document.body.classList.remove('is-printing-area-report'), { once: true });
  window.print();
}

// One area: population time series (area and its share of the city), offers in it, indicators against the city.
export function AreaProfile({ areaId, offerType, coverage, city, method, onClose }: AreaProfileProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const profileQuery = useAreaProfile(areaId, offerType);
  if (profileQuery.isPending) return <StatusMessage>{t('coverage.loading')}</StatusMessage>;
  if (profileQuery.isError) return <ErrorMessage error={profileQuery.error} onRetry={() => void profileQuery.refetch()} />;
  const profile = profileQuery.data;
  const locale = language === 'en' ? 'en-GB' : 'de-DE';
  const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
  return (
    <section className="coverage-profile" aria-labelledby="coverage-profile-heading">
      <h3 id="coverage-profile-heading">{t('coverage.profile.title', { name: profile.area.name })}</h3>
      <div className="coverage-profile__actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t('coverage.profile.close')}
        </button>
        <button type="button" className="button" onClick={printAreaReport}>
          {t('coverage.profile.print')}
        </button>
      </div>
      <p className="coverage-profile__print-hint form-field__hint">{t('coverage.profile.printHint')}</p>
      {method ? <DataDates method={method} /> : null}
      {profile.boundaryChanges.length > 0 ? (
        <ul className="coverage-profile__boundaries">
          {profile.boundaryChanges.map((change) => (
            <li key={change.date}>
              {t(change.continuous ? 'coverage.profile.boundaryContinuous' : 'coverage.profile.boundaryChanged', {
                date: dateFormat.format(new Date(`${change.date}T00:00:00`)),
                share: change.share === null ? '–' : percent.format(change.share * 100),
              })}
            </li>
          ))}
        </ul>
      ) : null}
      {/* Residents in total and the target group differ by orders of magnitude: two charts. */}
      {[profile.series.filter((entry) => entry.indicator.code === 'population_total'), profile.series.filter((entry) => entry.indicator.code !== 'population_total')]
        .filter((group) => group.length > 0)
        .map((group) => (
          <PopulationChart
            key={group[0]!.indicator.code}
            areaName={profile.area.name}
            series={group.map((entry) => ({ label: entry.indicator.label, points: entry.area }))}
          />
        ))}
      {profile.series.some((entry) => (entry.otherBoundary?.length ?? 0) > 0) ? (
        <table className="coverage-table">
          <caption>{t('coverage.profile.otherBoundary')}</caption>
          <thead>
            <tr>
              <td />
              <th scope="col">{t('coverage.profile.period')}</th>
              <th scope="col">{t('coverage.profile.value')}</th>
            </tr>
          </thead>
          <tbody>
            {profile.series.flatMap((entry) =>
              (entry.otherBoundary ?? []).map((point) => (
                <tr key={`${entry.indicator.code}-${point.period}`}>
                  <th scope="row">{entry.indicator.label}</th>
                  <td>{point.period}</td>
                  <td className="is-number">{whole.format(point.value)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      ) : null}
      <table className="coverage-table">
        <caption>{t('coverage.profile.cityShare')}</caption>
        <tbody>
          {profile.series.map((entry) => {
            const last = entry.area[entry.area.length - 1];
            const cityLast = entry.city.find((point) => point.period === last?.period);
            return (
              <tr key={entry.indicator.code}>
                <th scope="row">
                  {entry.indicator.label} ({last?.period.slice(0, 4)})
                </th>
                <td className="is-number">{last && cityLast && cityLast.value > 0 ? `${percent.format((last.value / cityLast.value) * 100)} %` : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {coverage && city ? (
        <table className="coverage-table">
          <caption>{t('coverage.profile.againstCity')}</caption>
          <thead>
            <tr>
              <td />
              <th scope="col">{profile.area.name}</th>
              <th scope="col">{city.name}</th>
            </tr>
          </thead>
          <tbody>
            {mappableIndicators.map((key) => (
              <tr key={key}>
                <th scope="row">{t(`coverage.indicators.${key}`)}</th>
                <td className="is-number">{formatIndicator(indicatorValue(coverage, key), key, language)}</td>
                <td className="is-number">{formatIndicator(indicatorValue(city, key), key, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h4>{t('coverage.profile.offers')}</h4>
      {profile.offers.length === 0 ? (
        <p>{t('coverage.profile.noOffers')}</p>
      ) : (
        <ul>
          {profile.offers.map((offer) => (
            <li key={offer.offerId}>
              {offer.name}
              {offer.capacity !== null ? ` (${offer.capacity})` : ''}
            </li>
          ))}
        </ul>
      )}
      <p className="coverage-profile__sources">{profile.sources.join('; ')}</p>
      {method ? <MethodNote method={method} /> : null}
    </section>
  );
}
