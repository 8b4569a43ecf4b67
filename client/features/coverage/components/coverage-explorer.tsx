import '../coverage.css';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { AreaFeatureCollection } from '../../../../server/areas/areas.schema';
import type { HypotheticalOffer, ReachMode } from '../../../../server/coverage/coverage.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { useQueryString, withParameters } from '../../../lib/use-query-string';
import type { CoverageMapHandle } from '../../../map/coverage-map-canvas';
import { measuredPath, pathLengthMeters, reachCircles, type Bbox } from '../../../map/geometry';
import { MeasureTool } from './measure-tool';
import { noDataColor } from '../utils/classify';
import { coverageOverlay } from '../../../map/layers/coverage-layers';
import type { MapLocale } from '../../../map/map-controller';
import type { CoverageQuestion } from '../api/coverage-question';
import { useAreaSetCoverage, useCoverage } from '../api/get-coverage';
import { useCoverageGaps } from '../api/get-coverage-gaps';
import { useOfferTypes } from '../api/get-offer-types';
import { useCoverageScenario } from '../api/post-coverage-scenario';
import { useTranslation } from 'react-i18next';
import { classBreaks, classOf, colorForClass, legendEntries, paletteColors, type ClassificationMethod, type PaletteName } from '../utils/classify';
import { coverageCsv, coverageGeoJson, downloadBlob } from '../utils/export';
import { indicatorValue, isIndicatorKey } from '../utils/indicators';
import { AreaComparison } from './area-comparison';
import { AreaProfile } from './area-profile';
import { CompletenessTable } from './completeness-table';
import { CoverageControls, type CoverageView } from './coverage-controls';
import { CoverageLegend } from './coverage-legend';
import { CoverageTable } from './coverage-table';
import { GapList } from './gap-list';
import { DataDates, MethodNote } from './method-note';
import { ScenarioPanel } from './scenario-panel';

/** The areas chosen for comparison (at most four), from the query string. */
function comparedIn(params: URLSearchParams): string[] {
  return (params.get('compare') ?? '').split(',').filter(Boolean).slice(0, 4);
}

const CoverageMapCanvas = lazy(() => import('../../../map/coverage-map-canvas').then((module) => ({ default: module.CoverageMapCanvas })));

export type CoverageExplorerProps = {
  cityName: string;
  cityBounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  areas: AreaFeatureCollection;
  districts: FeatureCollection;
  /** The city's area sets (unions of areas, issue 13), null while they load or when the request failed. */
  areaSets: AreaFeatureCollection | null;
  mapLocale: MapLocale;
};

const classCount = 5;
// Below this many offers city-wide, classes of supply indicators say more about the inventory than
// about coverage (3 care homes give "0,0 % – 0,0 %" everywhere): the map shows no classes then.
export const thinSupplyOffers = 10;
const supplyIndependent: ReadonlySet<string> = new Set(['targetPopulation']);
const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

function mapLevelOf(value: string | null): CoverageView['level'] {
  return value === 'district' || value === 'area_set' ? value : 'sozialraum';
}

function readView(search: URLSearchParams): CoverageView {
  const mode = search.get('mode');
  const distance = Number(search.get('distance'));
  const year = Number(search.get('year'));
  const indicator = search.get('indicator');
  return {
    offerType: search.get('offerType') ?? 'kita',
    mode: mode === 'walk' || mode === 'airline' ? (mode as ReachMode) : null,
    distance: Number.isInteger(distance) && distance >= 50 && distance <= 10000 ? distance : null,
    year: Number.isInteger(year) && year >= 1900 && year <= 2200 ? year : null,
    indicator: isIndicatorKey(indicator) ? indicator : 'shareWithinReach',
    classification: (search.get('classes') === 'equal_interval' ? 'equal_interval' : 'quantile') as ClassificationMethod,
    palette: (search.get('palette') === 'cividis' ? 'cividis' : 'viridis') as PaletteName,
    showGaps: search.get('gaps') !== '0',
    level: mapLevelOf(search.get('level')),
  };
}

function writeView(view: CoverageView, previous: URLSearchParams): URLSearchParams {
  return withParameters(previous, {
    offerType: view.offerType,
    mode: view.mode,
    distance: view.distance === null ? null : String(view.distance),
    year: view.year === null ? null : String(view.year),
    indicator: view.indicator,
    classes: view.classification,
    palette: view.palette,
    gaps: view.showGaps ? null : '0',
    level: view.level === 'sozialraum' ? null : view.level,
  });
}

// Planning: choropleth + table of the same figures, gaps, what-if, profile, comparison, exports.
export function CoverageExplorer(props: CoverageExplorerProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const [searchParams, changeQueryString] = useQueryString();
  const requested = readView(searchParams);
  // A link with level=area_set in a city without area sets shows the Sozialräume.
  const view: CoverageView = requested.level === 'area_set' && props.areaSets?.features.length === 0 ? { ...requested, level: 'sozialraum' } : requested;
  const selectedAreaId = searchParams.get('area');
  const comparedAreaIds = useMemo(() => comparedIn(searchParams), [searchParams]);
  const question = useMemo<CoverageQuestion>(
    () => ({ offerType: view.offerType, mode: view.mode, distance: view.distance, year: view.year }),
    [view.offerType, view.mode, view.distance, view.year],
  );
  const [hypothetical, setHypothetical] = useState<HypotheticalOffer[]>([]);
  const [placing, setPlacing] = useState(false);
  const [measuring, setMeasuring] = useState(false);
  const [measurePoints, setMeasurePoints] = useState<[number, number][]>([]);
  const [capacity, setCapacity] = useState<number | null>(null);
  const mapHandle = useRef<CoverageMapHandle | null>(null);

  const offerTypesQuery = useOfferTypes();
  const coverageQuery = useCoverage(question);
  const areaSetCoverageQuery = useAreaSetCoverage(question, view.level === 'area_set');
  const gapsQuery = useCoverageGaps(question, view.showGaps);
  const scenarioQuery = useCoverageScenario(question, hypothetical);

  const update = useCallback(
    (change: Partial<CoverageView>) => {
      changeQueryString((previous) => writeView({ ...readView(previous), ...change }, previous), { replace: true });
      if (change.offerType || change.mode !== undefined || change.distance !== undefined || change.year !== undefined) setHypothetical([]);
    },
    [changeQueryString],
  );
  const setParam = useCallback(
    (key: string, value: string | null) => changeQueryString((previous) => withParameters(previous, { [key]: value }), { replace: true }),
    [changeQueryString],
  );

  const coverage = coverageQuery.data;
  const scenario = hypothetical.length > 0 ? (scenarioQuery.data ?? null) : null;
  // Area sets come from their own request (the default answer and the what-if leave them out); at that level the map shows them.
  const setRows = useMemo(() => (view.level === 'area_set' ? (areaSetCoverageQuery.data?.areas ?? []) : []), [view.level, areaSetCoverageQuery.data]);
  const shown = useMemo(() => [...(scenario ? scenario.scenario : (coverage?.areas ?? [])), ...setRows], [scenario, coverage, setRows]);
  const tableRows = useMemo(() => [...(coverage?.areas ?? []), ...setRows], [coverage, setRows]);
  const supplyOffers = coverage?.method.supply.offers ?? null;
  const thin = supplyOffers !== null && supplyOffers < thinSupplyOffers && !supplyIndependent.has(view.indicator);
  const classification = useMemo(() => {
    const sozialraeume = shown.filter((area) => area.level === 'sozialraum');
    const mapped = shown.filter((area) => area.level === view.level);
    const values = mapped.map((area) => indicatorValue(area, view.indicator)).filter((value): value is number => value !== null);
    const breaks = thin ? [] : classBreaks(values, view.classification, classCount);
    const colors = paletteColors(view.palette, classCount);
    return { sozialraeume, mapped, breaks, colors, legend: legendEntries(values, breaks, colors) };
  }, [shown, view.indicator, view.classification, view.palette, view.level, thin]);
  const { sozialraeume, legend } = classification;
  const areaSets = props.areaSets as unknown as FeatureCollection | null;
  const levelFeatures = view.level === 'district' ? props.districts : view.level === 'area_set' ? (areaSets ?? emptyCollection) : (props.areas as unknown as FeatureCollection);
  // Area sets are offered once their polygons are there; a set is clicked (and outlined when selected) like a Sozialraum.
  const availableLevels = useMemo(
    () =>
      (['sozialraum', 'district', 'area_set'] as const).filter((level) =>
        level === 'area_set' ? (areaSets?.features.length ?? 0) > 0 : (coverage?.areas ?? []).some((area) => area.level === level),
      ),
    [coverage, areaSets],
  );
  const clickableAreas = view.level === 'area_set' && areaSets ? areaSets : (props.areas as unknown as FeatureCollection);

  const choropleth = useMemo<FeatureCollection>(() => {
    const byId = new Map(classification.mapped.map((area) => [area.areaId, area]));
    const { breaks, colors } = classification;
    return {
      type: 'FeatureCollection',
      features: levelFeatures.features.map((feature) => {
        const id = String(feature.properties?.id ?? feature.id);
        const area = byId.get(id);
        const value = area ? indicatorValue(area, view.indicator) : null;
        return {
          type: 'Feature',
          id: feature.id,
          properties: { id, name: feature.properties?.name ?? '', value, color: thin ? noDataColor : colorForClass(classOf(value, breaks), breaks.length, colors) },
          geometry: feature.geometry,
        };
      }),
    };
  }, [levelFeatures, classification, view.indicator, thin]);

  const hypotheticalCollection = useMemo<FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: hypothetical.map((offer, index) => ({
        type: 'Feature',
        id: index,
        properties: { index },
        geometry: { type: 'Point', coordinates: [offer.lon, offer.lat] },
      })),
    }),
    [hypothetical],
  );
  const reachMeters = coverage?.method.reach.meters ?? null;
  const reach = useMemo(
    () => (reachMeters !== null && hypothetical.length > 0 ? reachCircles(hypothetical.map((offer) => [offer.lon, offer.lat]), reachMeters) : null),
    [hypothetical, reachMeters],
  );
  const measure = useMemo(() => (measurePoints.length > 0 ? measuredPath(measurePoints) : null), [measurePoints]);
  const measuredMeters = useMemo(() => pathLengthMeters(measurePoints), [measurePoints]);
  const gaps = view.showGaps ? (gapsQuery.data ?? null) : null;
  const overlay = useMemo(
    () => coverageOverlay({ choropleth, gaps: gaps ? (gaps as unknown as FeatureCollection) : null, hypothetical: hypotheticalCollection, reach, measure }),
    [choropleth, gaps, hypotheticalCollection, reach, measure],
  );
  useEffect(() => {
    if (!measuring) return undefined;
    const end = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMeasuring(false);
    };
    window.addEventListener('keydown', end);
    return () => window.removeEventListener('keydown', end);
  }, [measuring]);

  const handleMapClick = useCallback(
    (position: { lon: number; lat: number }) => {
      if (measuring) {
        setMeasurePoints((previous) => [...previous, [position.lon, position.lat] as [number, number]].slice(0, 100));
        return;
      }
      if (!placing) return;
      setHypothetical((previous) => [...previous, { lon: position.lon, lat: position.lat, ...(capacity !== null ? { capacity } : {}) }].slice(0, 100));
    },
    [placing, capacity, measuring],
  );
  const handleAreaClick = useCallback((areaId: string) => {
    if (!placing && !measuring) setParam('area', areaId);
  }, [placing, measuring, setParam]);
  const handleReady = useCallback((handle: CoverageMapHandle | null) => {
    mapHandle.current = handle;
  }, []);
  const toggleCompare = useCallback(
    (areaId: string) =>
      changeQueryString(
        (previous) => {
          const compared = comparedIn(previous);
          const next = compared.includes(areaId) ? compared.filter((id) => id !== areaId) : [...compared, areaId].slice(0, 4);
          return withParameters(previous, { compare: next.join(',') });
        },
        { replace: true },
      ),
    [changeQueryString],
  );

  const fileStem = `versorgung-${view.offerType}-${coverage?.method.reach.mode ?? ''}-${coverage?.method.reach.meters ?? ''}-${coverage?.method.demand.year ?? ''}`;
  const exportCsv = () => coverage && downloadBlob(new Blob([coverageCsv(shown, coverage.method)], { type: 'text/csv;charset=utf-8' }), `${fileStem}.csv`);
  const exportGeoJson = () => {
    if (!coverage) return;
    const geometries = new Map(props.areas.features.map((feature) => [feature.properties.id, feature.geometry as GeoJSON.Geometry]));
    const collection = coverageGeoJson(sozialraeume, geometries, coverage.method);
    downloadBlob(new Blob([JSON.stringify(collection)], { type: 'application/geo+json' }), `${fileStem}.geojson`);
  };
  const exportGaps = () => gapsQuery.data && downloadBlob(new Blob([JSON.stringify(gapsQuery.data)], { type: 'application/geo+json' }), `${fileStem}-luecken.geojson`);
  const showGap = useCallback((bounds: Bbox) => {
    mapHandle.current?.showBounds(bounds);
    document.querySelector('.coverage-explorer__map')?.scrollIntoView({ block: 'start' });
  }, []);
  const exportPng = () => void mapHandle.current?.exportPng().then((blob) => downloadBlob(blob, `${fileStem}.png`));

  const city = (coverage?.areas ?? []).find((area) => area.level === 'city') ?? null;
  const selected = shown.find((area) => area.areaId === selectedAreaId) ?? null;

  return (
    <section className="coverage-explorer" aria-label={t('coverage.heading')}>
      <CoverageControls
        view={view}
        offerTypes={offerTypesQuery.data ?? []}
        availableYears={coverage?.method.demand.availableYears ?? []}
        availableLevels={availableLevels}
        onChange={update}
      />
      {coverage ? <DataDates method={coverage.method} /> : null}
      {coverageQuery.isPending ? <StatusMessage>{t('coverage.loading')}</StatusMessage> : null}
      {coverageQuery.isError ? <ErrorMessage error={coverageQuery.error} onRetry={() => void coverageQuery.refetch()} /> : null}
      {areaSetCoverageQuery.isError && view.level === 'area_set' ? (
        <ErrorMessage error={areaSetCoverageQuery.error} onRetry={() => void areaSetCoverageQuery.refetch()} />
      ) : null}
      <div className="coverage-explorer__layout" aria-busy={coverageQuery.isFetching || scenarioQuery.isFetching || areaSetCoverageQuery.isFetching}>
        <div className="coverage-explorer__map">
          <Suspense fallback={<div className="map-canvas" />}>
            <CoverageMapCanvas
              className="coverage-explorer__canvas"
              bounds={props.cityBounds}
              basemapStyleUrl={props.basemapStyleUrl}
              dataAttributions={props.dataAttributions}
              areas={clickableAreas}
              districts={props.districts ?? emptyCollection}
              selectedAreaId={selectedAreaId}
              overlay={overlay}
              onAreaClick={handleAreaClick}
              onMapClick={handleMapClick}
              onReady={handleReady}
              locale={props.mapLocale}
              unavailableMessage={t('coverage.mapUnavailable')}
            />
          </Suspense>
          <CoverageLegend
            indicator={view.indicator}
            entries={legend}
            showGaps={gaps !== null}
            showHypothetical={hypothetical.length > 0}
            thinOffers={thin ? supplyOffers : null}
          />
        </div>
        <div className="coverage-explorer__below">
          <MeasureTool
            measuring={measuring}
            points={measurePoints.length}
            meters={measuredMeters}
            onToggle={() => {
              setPlacing(false);
              setMeasuring((value) => {
                if (!value) setMeasurePoints([]);
                return !value;
              });
            }}
            onClear={() => setMeasurePoints([])}
          />
          <div className="coverage-explorer__exports">
            <button type="button" className="button button--secondary" onClick={exportCsv} disabled={!coverage}>{t('coverage.exports.csv')}</button>
            <button type="button" className="button button--secondary" onClick={exportGeoJson} disabled={!coverage}>{t('coverage.exports.geojson')}</button>
            <button type="button" className="button button--secondary" onClick={exportGaps} disabled={!gapsQuery.data}>{t('coverage.exports.gapsGeojson')}</button>
            <button type="button" className="button button--secondary" onClick={exportPng}>{t('coverage.exports.png')}</button>
          </div>
          {coverage ? <MethodNote method={coverage.method} /> : null}
        </div>
        <div className="coverage-explorer__side">
          <ScenarioPanel
            placing={placing}
            onTogglePlacing={() => {
              setMeasuring(false);
              setPlacing((value) => !value);
            }}
            offers={hypothetical}
            onClear={() => setHypothetical([])}
            capacity={capacity}
            onCapacityChange={setCapacity}
            baseline={scenario?.baseline ?? null}
            scenario={scenario?.scenario ?? null}
            indicator={view.indicator}
          />
          {scenarioQuery.isError && hypothetical.length > 0 ? <ErrorMessage error={scenarioQuery.error} /> : null}
          {gapsQuery.data && view.showGaps ? <GapList gaps={gapsQuery.data} onShow={showGap} /> : null}
        </div>
      </div>
      {coverage ? (
        <CoverageTable
          areas={tableRows}
          scenario={scenario?.scenario ?? null}
          indicator={view.indicator}
          selectedAreaId={selectedAreaId}
          comparedAreaIds={comparedAreaIds}
          onProfile={(areaId) => setParam('area', areaId)}
          onToggleCompare={toggleCompare}
        />
      ) : null}
      <CompletenessTable
        offerType={view.offerType}
        offerTypeLabel={offerTypesQuery.data?.find((option) => option.code === view.offerType)?.label[language] ?? view.offerType}
        // (the completeness API counts per Sozialraum, district or city; for area sets it stays per Sozialraum)
        level={view.level === 'area_set' ? 'sozialraum' : view.level}
      />
      <AreaComparison
        areas={comparedAreaIds.flatMap((id) => shown.filter((area) => area.areaId === id))}
        city={city}
        onRemove={toggleCompare}
      />
      {selectedAreaId ? (
        <AreaProfile
          areaId={selectedAreaId}
          offerType={view.offerType}
          coverage={selected}
          city={city}
          method={coverage?.method ?? null}
          onClose={() => setParam('area', null)}
        />
      ) : null}
    </section>
  );
}
