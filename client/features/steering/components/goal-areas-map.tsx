import '../steering.css';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import type { Feature, FeatureCollection } from 'geojson';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Goal, Snapshot } from '../../../../server/steering/steering.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { bboxOfCollection, ensureExtent, type Bbox } from '../../../map/geometry';
import { coverageOverlay } from '../../../map/layers/coverage-layers';
import type { MapLocale } from '../../../map/map-controller';
import { useFigureOffers } from '../api/edit-steering';
import type { Audience } from '../api/get-steering';
import { choroplethClasses, noValueColor } from '../utils/choropleth';
import { formatFigure } from '../utils/format';

const CoverageMapCanvas = lazy(() => import('../../../map/coverage-map-canvas').then((module) => ({ default: module.CoverageMapCanvas })));
const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

export type GoalMapSetting = {
  bounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  /** Sozialräume, districts and the city with their geometry (the goal's areas are picked from them). */
  areas: FeatureCollection;
  districts: FeatureCollection;
  locale: MapLocale;
};

/**
 * The goal's figure per area on the map (a choropleth of the latest snapshot, MapLibre with the
 * project's own style: no third-party request) with its legend; the table of the same values
 * stands next to it in the goal view.
 */
export function GoalAreasMap({ goal, snapshot, setting }: { goal: Goal; snapshot: Snapshot | undefined; setting: GoalMapSetting }) {
  const { t, i18n } = useTranslation();
  const values = useMemo(() => new Map((snapshot?.areas ?? []).map((area) => [area.areaId, area.missing ? null : area.value])), [snapshot]);
  const classes = useMemo(() => choroplethClasses([...values.values()].flatMap((value) => (value === null ? [] : [value]))), [values]);
  const goalAreaIds = useMemo(() => new Set(goal.scope === 'city' ? [] : goal.areas.map((area) => area.id)), [goal]);
  const choropleth = useMemo<FeatureCollection>(() => {
    // A goal for the whole city, or for districts, is drawn over the Sozialräume within it with the one value it has.
    const idOf = (feature: Feature) => String((feature.properties as { id?: string } | null)?.id ?? '');
    const parentOf = (feature: Feature) => (feature.properties as { parentId?: string | null } | null)?.parentId ?? null;
    const valueFor = (feature: Feature): number | null | undefined => {
      const own = values.get(idOf(feature));
      if (own !== undefined) return own;
      const parent = parentOf(feature);
      if (parent && values.has(parent)) return values.get(parent);
      if (goal.scope === 'city' && values.size === 1) return [...values.values()][0];
      return undefined;
    };
    const features = setting.areas.features.flatMap((feature) => {
      const value = valueFor(feature as Feature);
      if (value === undefined) return [];
      return [{ ...feature, properties: { ...feature.properties, color: value === null ? noValueColor : classes.colorOf(value) } } as Feature];
    });
    return { type: 'FeatureCollection', features };
  }, [setting.areas, values, classes, goal.scope]);
  const overlay = useMemo(() => coverageOverlay({ choropleth, gaps: null, hypothetical: emptyCollection }), [choropleth]);
  // The map opens on the goal's areas, not on the whole city.
  const bounds = useMemo(() => {
    const box = bboxOfCollection(choropleth);
    return box ? ensureExtent(box) : setting.bounds;
  }, [choropleth, setting.bounds]);
  const ignore = useCallback(() => undefined, []);
  if (!snapshot) return <p className="steering-muted">{t('steeringForms.mapNoSnapshot')}</p>;
  const figure = (value: number) => formatFigure(value, goal.unit, i18n.language, t);
  return (
    <figure className="goal-map">
      <Suspense fallback={<div className="map-canvas" />}>
        <CoverageMapCanvas
          className="goal-map__canvas"
          bounds={bounds}
          basemapStyleUrl={setting.basemapStyleUrl}
          dataAttributions={setting.dataAttributions}
          areas={setting.areas}
          districts={setting.districts}
          selectedAreaId={null}
          overlay={overlay}
          onAreaClick={ignore}
          onMapClick={ignore}
          onReady={ignore}
          locale={setting.locale}
          unavailableMessage={t('steeringForms.mapUnavailable')}
        />
      </Suspense>
      <figcaption>
        <p>{t('steeringForms.mapCaption', { count: goalAreaIds.size || choropleth.features.length })}</p>
        <ul className="goal-map__legend" aria-label={t('steeringForms.legend')}>
          {classes.entries.map((entry) => (
            <li key={entry.color}>
              <span className="goal-map__swatch" style={{ background: entry.color }} aria-hidden="true" /> {figure(entry.from)} – {figure(entry.to)}
            </li>
          ))}
          <li>
            <span className="goal-map__swatch" style={{ background: noValueColor }} aria-hidden="true" /> {t('steering.missing')}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}

/** The offers a coverage figure counts in the goal's areas, each linked to its page. */
export function FigureOffersList({ audience, goalId, offerHref }: { audience: Audience; goalId: string; offerHref: (offerId: string) => string }) {
  const { t } = useTranslation();
  const offers = useFigureOffers(audience, goalId);
  if (offers.isPending) return <p role="status">{t('status.loading')}</p>;
  if (offers.isError) return <ErrorMessage error={offers.error} onRetry={() => void offers.refetch()} />;
  if (!offers.data.applicable) return null;
  return (
    <section aria-labelledby="figure-offers-heading">
      <h2 id="figure-offers-heading">{t('steeringForms.offersHeading', { count: offers.data.items.length })}</h2>
      <p className="steering-muted">{t('steeringForms.offersIntro')}</p>
      {offers.data.items.length === 0 ? (
        <p>{t('steeringForms.noOffers')}</p>
      ) : (
        <ul className="goal-offers">
          {offers.data.items.map((offer) => (
            <li key={offer.offerId}>
              <Link to={offerHref(offer.offerId)}>{offer.name}</Link> <span className="steering-muted">({offer.areas.map((area) => area.name).join(', ')})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
