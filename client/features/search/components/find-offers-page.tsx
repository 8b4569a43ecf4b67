import '../search.css';
import { lazy, Suspense, useCallback, useMemo, useRef, useState, type FormEvent } from 'react';
import type { FeatureCollection } from 'geojson';
import { ErrorMessage } from '../../../components/ui/error-message';
import type { Bbox } from '../../../map/geometry';
import type { OfferPoint } from '../../../map/layers/offer-layers';
import type { OfferMapLocale } from '../../../map/offer-map-controller';
import { useContextAreas } from '../api/get-context-areas';
import { useSearch } from '../api/get-search';
import { useSearchOptions } from '../api/get-search-options';
import { useStreets, type StreetView } from '../../../lib/get-streets';
import { addressBarSearchParams, useQueryString } from '../../../lib/use-query-string';
import { getGeocode } from '../api/get-suggestions';
import { formatDistance } from '../utils/format';
import { canSearch, pageSize, parseSearchState, serializeSearchState, withFilters, type SearchChange } from '../utils/search-state';
import { AddressCombobox, type ChosenPlace } from './address-combobox';
import { FilterBar } from './filter-bar';
import { ResultList, resultElementId } from './result-list';
import { uiLanguage } from '../../../i18n/translate';
import { useTranslation } from 'react-i18next';

// MapLibre is most of the bundle; the list does not wait for it.
const OfferMapCanvas = lazy(() => import('../../../map/offer-map-canvas').then((module) => ({ default: module.OfferMapCanvas })));

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

type FindOffersPageProps = {
  cityName: string;
  cityBounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
};

export function FindOffersPage({ cityName, cityBounds, basemapStyleUrl, dataAttributions }: FindOffersPageProps) {
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
  const [view, setView] = useState<StreetView | null>(null);
  const streetsQuery = useStreets(view);
  const resultsHeadingRef = useRef<HTMLHeadingElement>(null);
  const addressErrorId = 'search-address-error';

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
      const q = keyword.trim() || null;
      update((current) => withFilters(current, { address: place.label, here: false, lon: place.lon, lat: place.lat, q }));
    },
    [keyword, update],
  );

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const text = addressText.trim();
    const q = keyword.trim() || null;
    const shown = parseSearchState(addressBarSearchParams());
    const unchanged = (shown.here && text === t('form.myLocation')) || (text !== '' && text === shown.address);
    if (text === '' || unchanged) {
      update((current) => withFilters(current, text === '' ? { q, address: null, here: false, lat: null, lon: null } : { q }));
      return;
    }
    try {
      const [best] = (await getGeocode(text)).features;
      if (!best) {
        setAddressError(t('form.addressNotFound', { address: text }));
        return;
      }
      setAddressText(best.properties.label);
      choosePlace({ label: best.properties.label, lon: best.geometry.coordinates[0], lat: best.geometry.coordinates[1] });
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
        const place = { address: null, here: true, lat: round(position.coords.latitude), lon: round(position.coords.longitude) };
        update((current) => withFilters(current, place));
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
      if (fromMap) {
        const element = document.getElementById(resultElementId(id));
        element?.scrollIntoView({ block: 'nearest', behavior: window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
        element?.focus({ preventScroll: true });
      }
    },
    [update],
  );
  const handleMapClick = useCallback((id: string) => select(id, true), [select]);

  function goToPage(page: number): void {
    update((current) => ({ ...current, page, selected: null }));
    resultsHeadingRef.current?.focus();
  }

  const results = response?.results;
  const firstRank = response ? (response.page - 1) * response.pageSize + 1 : 1;
  const points = useMemo<OfferPoint[]>(
    () => (results ?? []).map((result, index) => ({ id: result.id, name: result.name, rank: firstRank + index, lon: result.lon, lat: result.lat })),
    [results, firstRank],
  );
  const origin = useMemo(() => (state.lat !== null && state.lon !== null ? { lon: state.lon, lat: state.lat } : null), [state.lat, state.lon]);
  const selectedResult = results?.find((result) => result.id === state.selected) ?? null;
  const pages = response ? Math.max(1, Math.ceil(response.total / pageSize)) : 1;
  const placeLabel = state.here ? t('form.myLocation') : (state.address ?? '');

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

  return (
    <div className="find-offers">
      <section className="search-form" aria-labelledby="search-form-heading">
        <h2 id="search-form-heading" className="visually-hidden">
          {t('form.heading')}
        </h2>
        <form role="search" onSubmit={(event) => void handleSubmit(event)} noValidate>
          <div className="search-form__row">
            <AddressCombobox
              key={`${state.address ?? ''}|${state.here}`}
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
        <div role="status" aria-live="polite" className="search-results__summary">
          {!canSearch(state) ? <p>{t('results.start')}</p> : null}
          {canSearch(state) && searchQuery.isFetching && !response ? <p>{t('results.loading')}</p> : null}
          {response ? (
            <p>
              <strong>
                {response.totalIsCapped
                  ? t('results.countCapped', { count: response.total })
                  : t('results.count', { count: response.total })}
              </strong>
              {response.origin && response.radiusMeters !== null
                ? ` ${t('results.around', { distance: formatDistance(response.radiusMeters, language), place: placeLabel || response.origin.label || '' })}`
                : ''}
              {response.total === 0 ? ` ${t('results.none')}` : ''}
            </p>
          ) : null}
          {selectedResult ? <p className="visually-hidden">{t('results.selected', { name: selectedResult.name })}</p> : null}
        </div>
        {response?.origin && response.results.length > 0 ? (
          <p className="search-results__method">
            {t('results.sortedByDistance')}{' '}
            {response.walkingDistanceMethod === 'detour_factor'
              ? t('results.walkingFactor', { factor: response.walking.detourFactor.toLocaleString(language), speed: response.walking.speedKmh })
              : t('results.walkingNetwork', { speed: response.walking.speedKmh })}
          </p>
        ) : null}
        {searchQuery.isError && canSearch(state) ? (
          <ErrorMessage error={searchQuery.error} onRetry={() => void searchQuery.refetch()} />
        ) : null}
        <div className="search-results__layout">
          <div className="search-results__list-column">
            {response && response.results.length > 0 ? (
              <ResultList
                results={response.results}
                firstRank={firstRank}
                selectedId={state.selected}
                onSelect={(id) => select(id, false)}
                searchString={searchString}
                t={t}
                language={language}
                now={now}
              />
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
          </div>
          <div className="search-results__map-column">
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
                contextStreets={(streetsQuery.data as FeatureCollection | undefined) ?? emptyCollection}
                onViewChange={setView}
                selectedId={state.selected}
                revealSelected={revealSelected}
                onOfferClick={handleMapClick}
                locale={mapLocale}
                unavailableMessage={t('map.unavailable')}
              />
            </Suspense>
            <p className="search-results__map-hint">{t('map.hint')}</p>
          </div>
        </div>
      </section>
    </div>
  );
}
