import '../search.css';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { FeatureCollection } from 'geojson';
import { ErrorMessage } from '../../../components/ui/error-message';
import type { Bbox } from '../../../map/geometry';
import type { OfferPoint } from '../../../map/layers/offer-layers';
import type { OfferMapLocale } from '../../../map/offer-map-controller';
import { useContextAreas } from '../api/get-context-areas';
import { useSearch } from '../api/get-search';
import { useSearchOptions } from '../api/get-search-options';
import { addressBarSearchParams, useQueryString } from '../../../lib/use-query-string';
import { equallyGoodAnswers, getGeocode, isApproximate, type GeocodeFeature } from '../api/get-suggestions';
import type { SearchOptions } from '../api/get-search-options';
import type { AppConfig } from '../../../../server/meta/meta.schema';
import { fewResultsThreshold } from '../../../../server/search/search.schema';
import { formatDistance } from '../utils/format';
import { canSearch, pageSize, parseSearchState, radiusReaching, serializeSearchState, withFilters, type SearchChange } from '../utils/search-state';
import { AddressCombobox, type ChosenPlace } from './address-combobox';
import { FilterBar } from './filter-bar';
import { ResultList, resultElementId } from './result-list';
import { uiLanguage } from '../../../i18n/translate';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { paths } from '../../../config/paths';
import { offerTileQuery } from '../utils/tile-query';

const resultsPanes = ['list', 'map'] as const;
type ResultsPane = (typeof resultsPanes)[number];

/** Below the width where list and map stand side by side (search.css, 56em). */
function isNarrowScreen(): boolean {
  return window.matchMedia?.('(max-width: 55.99em)').matches ?? false;
}

// MapLibre is most of the bundle; the list does not wait for it.
const OfferMapCanvas = lazy(() => import('../../../map/offer-map-canvas').then((module) => ({ default: module.OfferMapCanvas })));

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

type FindOffersPageProps = {
  cityName: string;
  cityBounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  /** The city's contact line, the last resort of every search. */
  contact: AppConfig['city']['contact'];
  recordSources: AppConfig['recordSources'];
};

type IncompleteNote = { types: string[]; source: string; date: string | null };

/** Offer types of the shown search whose inventory is known to be incomplete, per source. */
function incompleteNotes(
  recordSources: AppConfig['recordSources'],
  typeCodes: ReadonlySet<string>,
  options: SearchOptions | undefined,
  language: 'de' | 'en',
): IncompleteNote[] {
  const label = (code: string) => options?.offerTypes.find((term) => term.code === code)?.label[language] ?? code;
  return recordSources
    .map((source) => ({
      types: source.incompleteOfferTypes.filter((code) => typeCodes.size === 0 || typeCodes.has(code)).map(label),
      source: source.publisher,
      date: source.dataDate,
    }))
    .filter((note) => note.types.length > 0);
}

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

export function FindOffersPage({ cityName, cityBounds, basemapStyleUrl, dataAttributions, contact, recordSources }: FindOffersPageProps) {
  const { t, i18n } = useTranslation(undefined, { keyPrefix: 'search' });
  const language = uiLanguage(i18n.resolvedLanguage);
  const [searchParams, changeQueryString] = useQueryString();
  const state = useMemo(() => parseSearchState(searchParams), [searchParams]);
  const searchString = useMemo(() => serializeSearchState(state).toString(), [state]);
  const [addressText, setAddressText] = useState(state.here ? t('form.myLocation') : (state.address ?? ''));
  const [keyword, setKeyword] = useState(state.q ?? '');
  const [addressError, setAddressError] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  const [revealSelected, setRevealSelected] = useState(false);
  // On narrow screens list and map take turns (a segmented switch); from tablet width both show.
  const [pane, setPane] = useState<ResultsPane>('list');
  const resultsHeadingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const choicesRef = useRef<HTMLParagraphElement>(null);
  const addressErrorId = 'search-address-error';
  // Places an ambiguous address may mean; the person picks one.
  const [choices, setChoices] = useState<GeocodeFeature[] | null>(null);
  // After "Suchen" focus and scroll go to the results summary, once the page shows the new search.
  const [resultsFocusRequest, setResultsFocusRequest] = useState(0);
  useEffect(() => {
    if (resultsFocusRequest === 0) return;
    const summary = summaryRef.current;
    summary?.focus({ preventScroll: true });
    summary?.scrollIntoView({ block: 'start', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }, [resultsFocusRequest]);
  useEffect(() => {
    if (choices) choicesRef.current?.focus();
  }, [choices]);

  const searchQuery = useSearch(state);
  const optionsQuery = useSearchOptions();
  const contextAreasQuery = useContextAreas();
  const response = canSearch(state) ? searchQuery.data : undefined;
  // Opening states are computed by the server for this moment; texts like "today" compare with it.
  const now = useMemo(() => (response ? new Date(response.at) : new Date()), [response]);

  // Every change builds on the search in the address bar, not on `state` of the last render
  // (see useQueryString): picking an address and then the preset must keep both.
  const update = useCallback(
    (change: SearchChange, options: { replace?: boolean } = {}) => {
      changeQueryString((current) => serializeSearchState(change(parseSearchState(current))), { replace: options.replace ?? false });
    },
    [changeQueryString],
  );

  const choosePlace = useCallback(
    (place: ChosenPlace) => {
      setAddressError(null);
      setChoices(null);
      const q = keyword.trim() || null;
      update((current) => withFilters(current, { address: place.label, here: false, approx: place.approx, lon: place.lon, lat: place.lat, q }));
    },
    [keyword, update],
  );

  function placeOf(feature: GeocodeFeature, label: string): ChosenPlace {
    return { label, lon: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1], approx: isApproximate(feature) };
  }

  function chooseAmong(feature: GeocodeFeature): void {
    const label = feature.properties.context
      ? t('form.placeInArea', { label: feature.properties.label, area: feature.properties.context })
      : feature.properties.label;
    setAddressText(label);
    choosePlace(placeOf(feature, label));
    setResultsFocusRequest((count) => count + 1);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const text = addressText.trim();
    const q = keyword.trim() || null;
    const shown = parseSearchState(addressBarSearchParams());
    const unchanged = (shown.here && text === t('form.myLocation')) || (text !== '' && text === shown.address);
    setChoices(null);
    if (text === '' || unchanged) {
      update((current) => withFilters(current, text === '' ? { q, address: null, here: false, approx: false, lat: null, lon: null } : { q }));
      setResultsFocusRequest((count) => count + 1);
      return;
    }
    try {
      const answers = equallyGoodAnswers((await getGeocode(text, { limit: 5 })).features);
      const [best] = answers;
      if (!best) {
        setAddressError(t('form.addressNotFound', { address: text }));
        return;
      }
      if (answers.length > 1) {
        // "Neusser Straße 5" is in Eil and in Neustadt/Nord: ask instead of guessing.
        setChoices(answers);
        return;
      }
      setAddressText(best.properties.label);
      choosePlace(placeOf(best, best.properties.label));
      setResultsFocusRequest((count) => count + 1);
    } catch {
      setAddressError(t('form.addressNotFound', { address: text }));
    }
  }

  function locateMe(): void {
    if (!('geolocation' in navigator)) {
      setAddressError(t('form.locationUnavailable'));
      return;
    }
    setLocating(true);
    setAddressError(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        setAddressText(t('form.myLocation'));
        // About 10 m: precise enough for a walk, no more than that goes into a shared link.
        const round = (value: number) => Math.round(value * 10_000) / 10_000;
        const place = { address: null, here: true, approx: false, lat: round(position.coords.latitude), lon: round(position.coords.longitude) };
        update((current) => withFilters(current, place));
        setResultsFocusRequest((count) => count + 1);
      },
      () => {
        setLocating(false);
        setAddressError(t('form.locationUnavailable'));
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 300_000 },
    );
  }

  const select = useCallback(
    (id: string, fromMap: boolean) => {
      setRevealSelected(!fromMap);
      update((current) => ({ ...current, selected: current.selected === id && !fromMap ? null : id }), { replace: true });
      // On a phone, a marker leads to its entry in the list, "show on map" to the map.
      if (isNarrowScreen()) setPane(fromMap ? 'list' : 'map');
      if (fromMap) {
        // After the list is shown again (narrow screens): the next frame has laid it out.
        requestAnimationFrame(() => {
          const element = document.getElementById(resultElementId(id));
          element?.scrollIntoView({ block: 'nearest', behavior: window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
          element?.focus({ preventScroll: true });
        });
      }
    },
    [update],
  );
  const handleMapClick = useCallback((id: string) => select(id, true), [select]);
  const tileQuery = useMemo(() => offerTileQuery(state), [state]);
  const navigate = useNavigate();
  // An offer of the tile layer that is in the list is selected there; any other opens its page.
  const handleTileOfferClick = useCallback(
    (offer: { id: string; offerId: string }) => {
      if (document.getElementById(resultElementId(offer.id))) select(offer.id, true);
      else void navigate(paths.offerDetail.href(offer.offerId));
    },
    [navigate, select],
  );

  function goToPage(page: number): void {
    update((current) => ({ ...current, page, selected: null }));
    resultsHeadingRef.current?.focus();
  }

  const results = response?.results;
  const beyond = useMemo(() => response?.beyondRadius ?? [], [response]);
  const everyone = useMemo(() => response?.openToEveryone ?? [], [response]);
  const firstRank = response ? (response.page - 1) * response.pageSize + 1 : 1;
  // Numbered in the order of the page: the results, offers open to everyone, then those further away.
  const everyoneFirstRank = firstRank + (results?.length ?? 0);
  const beyondFirstRank = everyoneFirstRank + everyone.length;
  const points = useMemo<OfferPoint[]>(
    () =>
      [
        ...(results ?? []).map((result, index) => ({ result, rank: firstRank + index })),
        ...beyond.map((result, index) => ({ result, rank: beyondFirstRank + index })),
        ...everyone.map((result, index) => ({ result, rank: everyoneFirstRank + index })),
      ].map(({ result, rank }) => ({ id: result.id, name: result.name, rank, lon: result.lon, lat: result.lat })),
    [results, beyond, everyone, firstRank, beyondFirstRank, everyoneFirstRank],
  );
  const origin = useMemo(() => (state.lat !== null && state.lon !== null ? { lon: state.lon, lat: state.lat } : null), [state.lat, state.lon]);
  const selectedResult = [...(results ?? []), ...beyond, ...everyone].find((result) => result.id === state.selected) ?? null;
  const pages = response ? Math.max(1, Math.ceil(response.total / pageSize)) : 1;
  const placeLabel = state.address ?? response?.origin?.label ?? '';
  const areaName = response?.origin?.areaName ?? null;
  const widerRadius = beyond[0]?.distanceMeters != null ? radiusReaching(beyond[0].distanceMeters) : null;
  const searchedTypes = useMemo(() => {
    const shown = [...(results ?? []), ...beyond, ...everyone].map((result) => result.offerType.code);
    return new Set([...state.type, ...shown]);
  }, [results, beyond, everyone, state.type]);
  const few = response ? response.total < fewResultsThreshold : false;
  // Few results: every incomplete inventory is worth knowing; otherwise those of the types shown.
  const notes = response ? incompleteNotes(recordSources, few ? new Set<string>() : searchedTypes, optionsQuery.data, language) : [];

  const mapLocale = useMemo<OfferMapLocale>(
    () => ({
      mapLabel: `${t('map.label')} – ${cityName}`,
      zoomIn: t('map.zoomIn'),
      zoomOut: t('map.zoomOut'),
      resetBearing: t('map.resetBearing'),
      toggleAttribution: t('map.toggleAttribution'),
      gestureHintDesktop: t('map.gestureHintDesktop'),
      gestureHintMac: t('map.gestureHintMac'),
      gestureHintMobile: t('map.gestureHintMobile'),
    }),
    [t, cityName],
  );

  function aroundText(): string {
    if (!response?.origin || response.radiusMeters === null) return '';
    const distance = formatDistance(response.radiusMeters, language);
    if (state.here) return ` ${t('results.aroundHere', { distance })}`;
    // A label chosen among districts already names its Stadtteil.
    const area = areaName && !placeLabel.endsWith(areaName) ? ` ${t('results.inArea', { area: areaName })}` : '';
    return ` ${t('results.around', { distance, place: placeLabel })}${area}`;
  }

  const resultListProps = { selectedId: state.selected, onSelect: (id: string) => select(id, false), searchString, t, language, now };

  return (
    <div className="find-offers">
      <section className="search-form" aria-labelledby="search-form-heading">
        <h2 id="search-form-heading" className="visually-hidden">
          {t('form.heading')}
        </h2>
        <form role="search" onSubmit={(event) => void handleSubmit(event)} noValidate>
          <div className="search-form__row">
            {/* One box for the page's life: a chosen suggestion keeps the focus in it. */}
            <AddressCombobox
              text={addressText}
              onTextChange={(text) => {
                setAddressText(text);
                setAddressError(null);
              }}
              onChoose={choosePlace}
              t={t}
              invalid={addressError !== null}
              errorId={addressErrorId}
            />
            <div className="search-form__keyword">
              <label htmlFor="search-keyword" className="search-form__label">
                {t('form.keywordLabel')}
              </label>
              <p id="search-keyword-hint" className="search-form__hint">
                {t('form.keywordHint')}
              </p>
              <input
                id="search-keyword"
                type="search"
                className="search-form__input"
                value={keyword}
                maxLength={200}
                aria-describedby="search-keyword-hint"
                onChange={(event) => setKeyword(event.target.value)}
              />
            </div>
          </div>
          {addressError ? (
            <p id={addressErrorId} className="search-form__error" role="alert">
              {addressError}
            </p>
          ) : null}
          {choices ? (
            <div className="search-form__choices" role="group" aria-labelledby="search-place-choices">
              <p id="search-place-choices" ref={choicesRef} tabIndex={-1}>
                {t('form.whichPlace', { label: choices[0]?.properties.label ?? '' })}
              </p>
              <ul>
                {choices.map((choice, index) => (
                  <li key={`${choice.properties.context ?? ''}-${index}`}>
                    <button type="button" className="button button--secondary" onClick={() => chooseAmong(choice)}>
                      {choice.properties.context
                        ? t('form.placeInArea', { label: choice.properties.label, area: choice.properties.context })
                        : choice.properties.label}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="search-form__actions">
            <button type="submit" className="button">
              {t('form.submit')}
            </button>
            <button type="button" className="button button--secondary" onClick={locateMe} disabled={locating}>
              {locating ? t('form.locating') : t('form.useMyLocation')}
            </button>
          </div>
        </form>
      </section>

      <FilterBar state={state} options={optionsQuery.data} onChange={(change) => update(change)} t={t} language={language} />

      <section className="search-results" aria-labelledby="search-results-heading">
        <div className="search-results__header">
          <h2 id="search-results-heading" ref={resultsHeadingRef} tabIndex={-1}>
            {t('results.heading')}
          </h2>
          {response && response.results.length > 0 ? (
            <button type="button" className="button button--secondary search-results__print" onClick={() => window.print()}>
              {t('results.print')}
            </button>
          ) : null}
        </div>
        <div ref={summaryRef} tabIndex={-1} role="status" aria-live="polite" className="search-results__summary">
          {!canSearch(state) ? <p>{t('results.start')}</p> : null}
          {canSearch(state) && searchQuery.isFetching && !response ? <p>{t('results.loading')}</p> : null}
          {response ? (
            <p>
              <strong>
                {response.totalIsCapped
                  ? t('results.countCapped', { count: response.total })
                  : t('results.count', { count: response.total })}
              </strong>
              {aroundText()}
              {response.total === 0
                ? `${aroundText() ? '.' : ''} ${response.origin && response.radiusMeters !== null ? t('results.noneNear', { distance: formatDistance(response.radiusMeters, language) }) : t('results.none')}`
                : ''}
            </p>
          ) : null}
          {response && state.approx && state.address ? <p className="search-results__note">{t('results.approximate', { address: state.address })}</p> : null}
          {selectedResult ? <p className="visually-hidden">{t('results.selected', { name: selectedResult.name })}</p> : null}
        </div>
        {response?.origin && response.results.length > 0 ? (
          <p className="search-results__method">
            {response.sortedBy === 'walking' ? t('results.sortedByWalking') : t('results.sortedByDistance')}{' '}
            {response.walkingDistanceMethod === 'detour_factor'
              ? t('results.walkingFactor', { factor: response.walking.detourFactor.toLocaleString(language), speed: response.walking.speedKmh })
              : t('results.walkingNetwork', { speed: response.walking.speedKmh })}
          </p>
        ) : null}
        {notes.map((note) => (
          <p key={note.source} className="search-results__note search-results__note--incomplete">
            {note.date
              ? t('results.incomplete', { types: note.types.join(', '), source: note.source, date: note.date })
              : t('results.incompleteNoDate', { types: note.types.join(', '), source: note.source })}
          </p>
        ))}
        {searchQuery.isError && canSearch(state) ? (
          <ErrorMessage error={searchQuery.error} onRetry={() => void searchQuery.refetch()} />
        ) : null}
        {response && points.length > 0 ? (
          <div className="search-results__switch" role="group" aria-label={t('results.viewLabel')}>
            {resultsPanes.map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={pane === option}
                aria-controls={option === 'list' ? 'search-results-list' : 'search-results-map'}
                onClick={() => setPane(option)}
              >
                {t(option === 'list' ? 'results.viewList' : 'results.viewMap')}
              </button>
            ))}
          </div>
        ) : null}
        <div className={`search-results__layout search-results__layout--${response && points.length > 0 ? pane : 'list'}`}>
          <div className="search-results__list-column" id="search-results-list" tabIndex={-1}>
            {response && response.results.length > 0 ? (
              <ResultList results={response.results} firstRank={firstRank} {...resultListProps} />
            ) : null}
            {response && pages > 1 ? (
              <nav className="search-results__pages" aria-label={t('results.pageOf', { page: response.page, pages })}>
                <button type="button" className="button button--secondary" disabled={response.page <= 1} onClick={() => goToPage(response.page - 1)}>
                  {t('results.previous')}
                </button>
                <span>{t('results.pageOf', { page: response.page, pages })}</span>
                <button type="button" className="button button--secondary" disabled={!response.hasMore} onClick={() => goToPage(response.page + 1)}>
                  {t('results.next')}
                </button>
              </nav>
            ) : null}
            {everyone.length > 0 ? (
              <section className="search-results__more" aria-labelledby="search-everyone-heading">
                <h3 id="search-everyone-heading">{t('results.everyoneHeading')}</h3>
                <p>{t('results.everyoneIntro')}</p>
                <ResultList results={everyone} firstRank={everyoneFirstRank} badge={t('results.everyoneBadge')} {...resultListProps} />
              </section>
            ) : null}
            {beyond.length > 0 && response?.radiusMeters != null ? (
              <section className="search-results__more" aria-labelledby="search-beyond-heading">
                <h3 id="search-beyond-heading">{t('results.beyondHeading')}</h3>
                <p>{t('results.beyondIntro', { distance: formatDistance(response.radiusMeters, language) })}</p>
                {widerRadius !== null && widerRadius > response.radiusMeters ? (
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      update((current) => withFilters(current, { radius: widerRadius }));
                      setResultsFocusRequest((count) => count + 1);
                    }}
                  >
                    {t('results.widen', { distance: formatDistance(widerRadius, language) })}
                  </button>
                ) : null}
                <ResultList results={beyond} firstRank={beyondFirstRank} {...resultListProps} />
              </section>
            ) : null}
            {response && contact ? (
              <aside className="search-results__contact" aria-labelledby="search-contact-heading">
                <h3 id="search-contact-heading">{t('results.contactHeading')}</h3>
                <p>{contact.text[language]}</p>
                <p>
                  <strong>{contact.name[language]}</strong>
                  <br />
                  <a href={`tel:${contact.phone.replace(/[^0-9+]/g, '')}`}>{t('results.contactPhone', { phone: contact.phone })}</a>
                  <br />
                  {t('results.contactHours', { hours: contact.hours[language] })}
                  {contact.email ? (
                    <>
                      <br />
                      <a href={`mailto:${contact.email}`}>{t('results.contactEmail', { email: contact.email })}</a>
                    </>
                  ) : null}
                </p>
              </aside>
            ) : null}
          </div>
          <div className="search-results__map-column" id="search-results-map" tabIndex={-1}>
            <Suspense fallback={<div className="map-canvas search-results__map" />}>
              <OfferMapCanvas
                key={basemapStyleUrl ?? 'offline'}
                className="search-results__map"
                bounds={cityBounds}
                basemapStyleUrl={basemapStyleUrl}
                dataAttributions={dataAttributions}
                points={points}
                origin={origin}
                contextAreas={(contextAreasQuery.data as FeatureCollection | undefined) ?? emptyCollection}
                selectedId={state.selected}
                revealSelected={revealSelected}
                onOfferClick={handleMapClick}
                tileQuery={tileQuery}
                onTileOfferClick={handleTileOfferClick}
                roleDescription={t('map.roleDescription')}
                describedById="search-results-map-hint"
                locale={mapLocale}
                unavailableMessage={t('map.unavailable')}
              />
            </Suspense>
            <p className="search-results__map-hint" id="search-results-map-hint">
              {t('map.hint')} {t('map.allOffersHint')}
            </p>
          </div>
        </div>
      </section>
    </div>
  );
}
