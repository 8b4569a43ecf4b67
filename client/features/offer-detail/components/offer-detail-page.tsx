import '../offer-detail.css';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/ui/error-message';
import { PageHeader } from '../../../components/ui/page-header';
import { StatusMessage } from '../../../components/ui/status-message';
import { paths } from '../../../config/paths';
import { ApiProblem } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { Bbox } from '../../../map/geometry';
import type { OfferPoint } from '../../../map/layers/offer-layers';
import type { OfferMapLocale } from '../../../map/offer-map-controller';
import { useOfferDetail, type OfferDetail } from '../api/get-offer-detail';
import type { AppConfig } from '../../../../server/meta/meta.schema';
import { formatDate, languageName, relativeTime, weekdayAndDate } from '../utils/format';
import { type GroupTranslate, uiLanguage } from '../../../i18n/translate';
import { useTranslation } from 'react-i18next';

const OfferMapCanvas = lazy(() => import('../../../map/offer-map-canvas').then((module) => ({ default: module.OfferMapCanvas })));
const emptyCollection = { type: 'FeatureCollection' as const, features: [] };

type OfferDetailPageProps = {
  offerId: string;
  /** The result list's query string when the person came from there. */
  backSearch: string | null;
  appName: string;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  recordSources: AppConfig['recordSources'];
  cityContact: AppConfig['city']['contact'];
};

/** Lines of an address without repeats, and without the location's name when it is the offer's. */
function addressLines(offerName: string, address: OfferDetail['locations'][number]['address']): string[] {
  const same = (text: string | null) => (text ?? '').trim().toLocaleLowerCase('de') === offerName.trim().toLocaleLowerCase('de');
  const lines = [
    same(address.name) ? null : address.name,
    [address.street, address.houseNumber].filter(Boolean).join(' '),
    [address.postalCode, address.city].filter(Boolean).join(' '),
  ].filter((line): line is string => Boolean(line));
  return lines.filter((line, index) => lines.indexOf(line) === index);
}

/** "Ehrenfeld · Ehrenfeld · Ehrenfeld" (Viertel, Stadtteil, Bezirk of one name) reads as one. */
function areaNames(areas: OfferDetail['locations'][number]['areas']): string {
  const names = areas.filter((area) => area.level !== 'city').map((area) => area.name);
  return names.filter((name, index) => names.indexOf(name) === index).join(' · ');
}

/**
 * An OpenStreetMap object's page, for records imported from OSM: "way/123", or a bare number, which
 * the OSM point extracts (geodata/datasets/*-osm-*.json) use for nodes.
 */
function openStreetMapUrl(source: OfferDetail['source']): string | null {
  if (!source || !source.source.startsWith('osm')) return null;
  const match = /^(?:(node|way|relation)\/)?(\d+)$/.exec(source.externalId);
  return match ? `https://www.openstreetmap.org/${match[1] ?? 'node'}/${match[2]}` : null;
}

function OpeningNow({ detail, t, language }: { detail: OfferDetail; t: GroupTranslate<'offerDetail'>; language: 'de' | 'en' }) {
  const now = new Date(detail.at);
  const when = (iso: string) => {
    const relative = relativeTime(iso, now, language);
    return t(`time.${relative.kind}`, { time: relative.time, day: relative.day });
  };
  const { opening } = detail;
  const text =
    opening.status === 'open'
      ? opening.closesAt
        ? t('status.openUntil', { time: when(opening.closesAt) })
        : t('status.open')
      : opening.status === 'closed'
        ? opening.opensAt
          ? t('status.opensAt', { time: when(opening.opensAt) })
          : t('status.closed')
        : t('status.unknown');
  return <p className={`offer-detail__now offer-detail__now--${opening.status}`}>{text}</p>;
}

function WeekTable({ detail, t, language }: { detail: OfferDetail; t: GroupTranslate<'offerDetail'>; language: 'de' | 'en' }) {
  if (!detail.week) return <p>{t('week.none')}</p>;
  const today = detail.week[0]?.date;
  return (
    <table className="offer-detail__week">
      <caption>{t('week.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('week.day')}</th>
          <th scope="col">{t('week.hours')}</th>
        </tr>
      </thead>
      <tbody>
        {detail.week.map((day) => (
          <tr key={day.date} className={day.date === today ? 'offer-detail__today' : undefined}>
            <th scope="row">
              {weekdayAndDate(day.date, language)}
              {day.date === today ? ` (${t('week.today')})` : ''}
            </th>
            <td>
              {day.intervals.length === 0
                ? t('week.closed')
                : day.intervals
                    .map((interval) =>
                      t(interval.unknown ? 'week.intervalUnknown' : 'week.interval', { from: interval.from, to: interval.to }),
                    )
                    .join(t('week.and'))}
              {day.publicHoliday ? <span className="offer-detail__holiday"> – {t('week.holiday', { name: day.publicHoliday })}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ageText(detail: OfferDetail, t: GroupTranslate<'offerDetail'>): string {
  const { minAge: min, maxAge: max } = detail;
  if (min !== null && max !== null) return t('audience.ageRange', { min, max });
  if (min !== null) return t('audience.ageFrom', { min });
  if (max !== null) return t('audience.ageTo', { max });
  return t('audience.ageAll');
}

function reportLink(detail: OfferDetail, t: GroupTranslate<'offerDetail'>): string | null {
  if (!detail.department.email) return null;
  const subject = t('report.subject', { name: detail.name });
  const body = t('report.body', { name: detail.name, url: window.location.href });
  return `mailto:${detail.department.email}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

export function OfferDetailPage({ offerId, backSearch, appName, basemapStyleUrl, dataAttributions, recordSources, cityContact }: OfferDetailPageProps) {
  const { t, i18n } = useTranslation(undefined, { keyPrefix: 'offerDetail' });
  const language = uiLanguage(i18n.resolvedLanguage);
  const query = useOfferDetail(offerId);
  const detail = query.data;
  useDocumentTitle(detail?.name ?? t('loading'), appName);

  // The layout moves focus to the new page's heading on navigation, but this heading appears only
  // once the offer has loaded; focus it then, unless the person has moved on already.
  const loaded = detail !== undefined;
  useEffect(() => {
    if (!loaded) return;
    const active = document.activeElement;
    if (active === null || active === document.body) document.querySelector<HTMLElement>('main h1')?.focus();
  }, [loaded]);

  const points = useMemo<OfferPoint[]>(
    () => (detail?.locations ?? []).map((location, index) => ({ id: location.id, name: detail?.name ?? '', rank: index + 1, lon: location.lon, lat: location.lat })),
    [detail],
  );
  const bounds = useMemo<Bbox>(() => {
    const lons = points.map((point) => point.lon);
    const lats = points.map((point) => point.lat);
    return lons.length > 0 ? [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] : [6.77, 50.83, 7.16, 51.08];
  }, [points]);
  const mapLocale = useMemo<OfferMapLocale>(
    () => ({
      mapLabel: t('map.label', { name: detail?.name ?? '' }),
      zoomIn: t('map.zoomIn'),
      zoomOut: t('map.zoomOut'),
      resetBearing: t('map.resetBearing'),
      toggleAttribution: t('map.toggleAttribution'),
      gestureHintDesktop: t('map.gestureHintDesktop'),
      gestureHintMac: t('map.gestureHintMac'),
      gestureHintMobile: t('map.gestureHintMobile'),
    }),
    [t, detail?.name],
  );

  const back = backSearch !== null ? (
    <Link className="offer-detail__back" to={paths.offerSearch.href(backSearch)}>
      <span aria-hidden="true">← </span>
      {t('backToResults')}
    </Link>
  ) : (
    <Link className="offer-detail__back" to={paths.offerSearch.href()}>
      <span aria-hidden="true">← </span>
      {t('backToSearch')}
    </Link>
  );

  if (query.isPending) {
    return (
      <>
        {back}
        <StatusMessage>{t('loading')}</StatusMessage>
      </>
    );
  }
  if (query.isError || !detail) {
    const notFound = query.error instanceof ApiProblem && (query.error.status === 404 || query.error.status === 400);
    return (
      <>
        {back}
        <PageHeader title={t('notFound')} />
        {notFound ? null : <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />}
      </>
    );
  }

  const report = reportLink(detail, t);
  const typeLabel = detail.offerType.label[language];
  const recordSource = detail.source ? (recordSources.find((candidate) => candidate.source === detail.source?.source) ?? null) : null;
  const osmUrl = openStreetMapUrl(detail.source);

  return (
    <article className="offer-detail">
      {back}
      <PageHeader title={detail.name} intro={[typeLabel, detail.alternateName].filter(Boolean).join(' · ')} />
      <OpeningNow detail={detail} t={t} language={language} />
      <div className="offer-detail__actions">
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>

      <div className="offer-detail__layout">
        <div className="offer-detail__main">
          {detail.description ? (
            <section aria-labelledby="offer-description">
              <h2 id="offer-description">{t('sections.description')}</h2>
              {detail.description.split(/\n{2,}/).map((paragraph, index) => (
                <p key={index}>{paragraph}</p>
              ))}
            </section>
          ) : null}

          <section aria-labelledby="offer-hours">
            <h2 id="offer-hours">{t('sections.openingHours')}</h2>
            <WeekTable detail={detail} t={t} language={language} />
            {detail.openingHoursNote ? <p>{detail.openingHoursNote}</p> : null}
          </section>

          <section aria-labelledby="offer-audience">
            <h2 id="offer-audience">{t('sections.audience')}</h2>
            <ul>
              {detail.targetGroups.map((term) => (
                <li key={term.code}>{term.label[language]}</li>
              ))}
              <li>
                {t('audience.age')}: {ageText(detail, t)}
              </li>
            </ul>
          </section>

          <section aria-labelledby="offer-accessibility">
            <h2 id="offer-accessibility">{t('sections.accessibility')}</h2>
            {detail.accessibility.length > 0 ? (
              <ul>
                {detail.accessibility.map((term) => (
                  <li key={term.code}>{term.label[language]}</li>
                ))}
              </ul>
            ) : (
              <p>{t('accessibility.none')}</p>
            )}
            {detail.locations
              .filter((location) => location.accessibilityNote)
              .map((location) => (
                <p key={location.id}>{location.accessibilityNote}</p>
              ))}
          </section>

          <section aria-labelledby="offer-languages">
            <h2 id="offer-languages">{t('sections.languages')}</h2>
            <p>
              {detail.languages.length > 0
                ? detail.languages.map((code) => languageName(code, language)).join(', ')
                : t('languages.none')}
            </p>
          </section>

          <section aria-labelledby="offer-costs">
            <h2 id="offer-costs">{t('sections.costs')}</h2>
            <p>{detail.costKind ? t(`costs.${detail.costKind}`) : t('costs.unknown')}</p>
            {detail.costText ? <p>{detail.costText}</p> : null}
          </section>
        </div>

        <aside className="offer-detail__side">
          <section aria-labelledby="offer-location">
            <h2 id="offer-location">{detail.locations.length > 1 ? t('sections.locations') : t('sections.location')}</h2>
            {detail.locations.map((location) => (
              <address key={location.id} className="offer-detail__address">
                {addressLines(detail.name, location.address).map((line) => (
                    <span key={line}>
                      {line}
                      <br />
                    </span>
                  ))}
                {location.areas.length > 0 ? (
                  <span className="offer-detail__areas">{areaNames(location.areas)}</span>
                ) : null}
              </address>
            ))}
            <Suspense fallback={<div className="map-canvas offer-detail__map" />}>
              <OfferMapCanvas
                className="offer-detail__map"
                bounds={bounds}
                basemapStyleUrl={basemapStyleUrl}
                dataAttributions={dataAttributions}
                points={points}
                origin={null}
                contextAreas={emptyCollection}
                selectedId={null}
                revealSelected={false}
                locale={mapLocale}
                unavailableMessage={t('map.unavailable')}
                compact
              />
            </Suspense>
          </section>

          <section aria-labelledby="offer-contact">
            <h2 id="offer-contact">{t('sections.contact')}</h2>
            {detail.contact.phone || detail.contact.email || detail.contact.website ? (
              <dl className="offer-detail__contact">
                {detail.contact.phone ? (
                  <>
                    <dt>{t('contact.phone')}</dt>
                    <dd>
                      <a href={`tel:${detail.contact.phone.replace(/[^\d+]/g, '')}`}>{detail.contact.phone}</a>
                    </dd>
                  </>
                ) : null}
                {detail.contact.email ? (
                  <>
                    <dt>{t('contact.email')}</dt>
                    <dd>
                      <a href={`mailto:${detail.contact.email}`}>{detail.contact.email}</a>
                    </dd>
                  </>
                ) : null}
                {detail.contact.website ? (
                  <>
                    <dt>{t('contact.website')}</dt>
                    <dd>
                      <a href={detail.contact.website} rel="noopener noreferrer">
                        {detail.contact.website.replace(/^https?:\/\//, '')}
                      </a>
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : (
              <p>{t('contact.none')}</p>
            )}
          </section>

          {detail.organization ? (
            <section aria-labelledby="offer-provider">
              <h2 id="offer-provider">{t('sections.provider')}</h2>
              <p>{detail.organization.name}</p>
              {detail.organization.website ? (
                <p>
                  <a href={detail.organization.website} rel="noopener noreferrer">
                    {detail.organization.website.replace(/^https?:\/\//, '')}
                  </a>
                </p>
              ) : null}
            </section>
          ) : null}

          <section aria-labelledby="offer-report" className="offer-detail__report">
            <h2 id="offer-report">{t('sections.report')}</h2>
            <p>{t('report.text', { department: detail.department.name })}</p>
            {report ? (
              <p>
                <a href={report}>{t('report.link', { department: detail.department.name })}</a>
              </p>
            ) : (
              <p>{t('report.noEmail', { department: detail.department.name })}</p>
            )}
            {osmUrl ? (
              <p>
                <a href={osmUrl} rel="noopener noreferrer external">
                  {t('source.osmLink')}
                </a>
              </p>
            ) : null}
            {!report && cityContact ? (
              <p>
                {t('source.cityContact', { name: cityContact.name[language], phone: cityContact.phone, hours: cityContact.hours[language] })}
              </p>
            ) : null}
          </section>

          {detail.source ? (
            <section aria-labelledby="offer-source" className="offer-detail__source">
              <h2 id="offer-source">{t('source.heading')}</h2>
              <p>
                {recordSource?.dataDate
                  ? t('source.imported', { publisher: recordSource.publisher, date: recordSource.dataDate })
                  : t('source.importedNoDate', { publisher: recordSource?.publisher ?? detail.source.source })}
              </p>
              {recordSource?.incompleteOfferTypes.includes(detail.offerType.code) ? <p>{t('source.incomplete')}</p> : null}
            </section>
          ) : null}

          <p className="offer-detail__dates">
            {detail.verifiedAt ? t('verifiedAt', { date: formatDate(detail.verifiedAt, language) }) : null}{' '}
            {/* An imported record's own date is its source's (above), not the day of the import. */}
            {detail.source && !detail.verifiedAt ? null : t('updatedAt', { date: formatDate(detail.updatedAt, language) })}
          </p>
        </aside>
      </div>
    </article>
  );
}
