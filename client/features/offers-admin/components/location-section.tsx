import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from '../../../map/geometry';
import type { MapLocale } from '../../../map/map-controller';
import { FieldError } from '../../../components/ui/field-error';
import { areaIndex, type AreaLike } from '../utils/area-of-point';
import type { FormErrors, LocationFieldKey } from '../utils/field-errors';
import {
  emptyLocation,
  formatCoordinate,
  parsePoint,
  type LocationFormValues,
} from '../utils/offer-form-values';
import { AddressSearch, type AddressChoice } from './address-search';
import { fieldId } from './offer-fields';
import { TextField } from '../../../components/ui/form-fields';

// MapLibre is most of the bundle: the form shows its fields first and the map when it has loaded.
const PointPickerCanvas = lazy(() =>
  import('../../../map/point-picker-canvas').then((module) => ({ default: module.PointPickerCanvas })),
);

export type MapSettings = {
  cityName: string;
  cityBounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
};

type AreaFeature = AreaLike & FeatureCollection['features'][number];

type LocationSectionProps = {
  locations: readonly LocationFormValues[];
  errors: FormErrors;
  onChange: (locations: LocationFormValues[]) => void;
  areas: FeatureCollection;
  map: MapSettings;
  readOnly: boolean;
};

export function LocationSection({ locations, errors, onChange, areas, map, readOnly }: LocationSectionProps) {
  const { t } = useTranslation();
  const [activeIndex, setActiveIndex] = useState(0);
  const [focusRequest, setFocusRequest] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const active = Math.min(activeIndex, Math.max(0, locations.length - 1));
  const index = useMemo(() => areaIndex(areas.features as AreaFeature[]), [areas]);

  const sozialraumOf = useCallback((location: LocationFormValues) => index.find(parsePoint(location)), [index]);

  const updateLocation = useCallback(
    (index: number, change: Partial<LocationFormValues>) => {
      onChange(locations.map((location, position) => (position === index ? { ...location, ...change } : location)));
    },
    [locations, onChange],
  );

  const activeLocation = locations[active];
  const activePoint = activeLocation ? parsePoint(activeLocation) : null;
  const activeArea = activeLocation ? sozialraumOf(activeLocation) : null;

  const describeArea = useCallback(
    (location: LocationFormValues) => {
      if (!parsePoint(location)) return t('offersAdmin.form.sozialraumNone');
      const area = sozialraumOf(location);
      return area ? t('offersAdmin.form.sozialraum', { name: area.properties.name }) : t('offersAdmin.form.sozialraumOutside');
    },
    [sozialraumOf, t],
  );

  const handlePick = useCallback(
    ({ lon, lat }: { lon: number; lat: number }) => {
      if (readOnly || !activeLocation) return;
      const change = { longitude: formatCoordinate(lon), latitude: formatCoordinate(lat) };
      updateLocation(active, change);
      setAnnouncement(
        `${t('offersAdmin.form.pointSet', { latitude: change.latitude, longitude: change.longitude })} ${describeArea({
          ...activeLocation,
          ...change,
        })}`,
      );
    },
    [readOnly, activeLocation, updateLocation, active, t, describeArea],
  );

  function handleAddress(index: number, choice: AddressChoice) {
    const location = locations[index];
    if (!location) return;
    const change: Partial<LocationFormValues> = {
      longitude: formatCoordinate(choice.lon),
      latitude: formatCoordinate(choice.lat),
      ...(choice.street ? { street: choice.street } : {}),
      ...(choice.houseNumber !== null ? { houseNumber: choice.houseNumber } : {}),
      ...(location.city.trim() === '' ? { city: map.cityName } : {}),
    };
    updateLocation(index, change);
    setActiveIndex(index);
    setFocusRequest((value) => value + 1);
    setAnnouncement(
      `${t('offersAdmin.form.addressTaken', { label: choice.label })} ${describeArea({ ...location, ...change })}`,
    );
  }

  const locale = useMemo<MapLocale>(
    () => ({
      mapLabel: t('offersAdmin.form.mapLabel'),
      zoomIn: t('map.zoomIn'),
      zoomOut: t('map.zoomOut'),
      resetBearing: t('map.resetBearing'),
      toggleAttribution: t('map.toggleAttribution'),
    }),
    [t],
  );

  return (
    <section className="offer-form__section" aria-labelledby="offer-section-location">
      <h2 id="offer-section-location">{t('offersAdmin.form.sections.location')}</h2>
      <p className="form-field__hint">{t('offersAdmin.form.locationsHint')}</p>
      <div id={fieldId('locations')} tabIndex={-1}>
        <FieldError id={`${fieldId('locations')}-error`} message={errors.locations} />
      </div>
      <div className="location-section">
        <div className="location-section__list">
          {locations.map((location, index) => {
            const number = index + 1;
            const key = (part: LocationFieldKey) => `locations.${index}.${part}` as const;
            const id = (part: string) => fieldId(`locations.${index}.${part}`);
            const coordinatesError = errors[`locations.${index}.coordinates`];
            return (
              <fieldset
                key={location.key}
                className={`form-fieldset location-fieldset${index === active ? ' is-active' : ''}`}
              >
                <legend>{t('offersAdmin.form.location', { number })}</legend>
                {locations.length > 1 ? (
                  <div className="location-fieldset__tools">
                    {index === active ? (
                      <p className="location-fieldset__active">{t('offersAdmin.form.editingOnMap')}</p>
                    ) : (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => {
                          setActiveIndex(index);
                          setFocusRequest((value) => value + 1);
                        }}
                      >
                        {t('offersAdmin.form.editOnMap', { number })}
                      </button>
                    )}
                    {!readOnly ? (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => {
                          onChange(locations.filter((_, position) => position !== index));
                          setActiveIndex(0);
                        }}
                      >
                        {t('offersAdmin.form.removeLocation', { number })}
                      </button>
                    ) : null}
                  </div>
                ) : null}
                <TextField
                  id={id('name')}
                  label={t('offersAdmin.form.locationName')}
                  hint={t('offersAdmin.form.locationNameHint')}
                  error={errors[key('name')]}
                  value={location.name}
                  onChange={(name) => updateLocation(index, { name })}
                />
                {!readOnly ? <AddressSearch idPrefix={id('search')} onChoose={(choice) => handleAddress(index, choice)} /> : null}
                <div className="location-fieldset__address">
                  <TextField
                    id={id('street')}
                    label={t('offersAdmin.form.street')}
                    error={errors[key('street')]}
                    value={location.street}
                    autoComplete="off"
                    onChange={(street) => updateLocation(index, { street })}
                    className="location-fieldset__street"
                  />
                  <TextField
                    id={id('houseNumber')}
                    label={t('offersAdmin.form.houseNumber')}
                    error={errors[key('houseNumber')]}
                    value={location.houseNumber}
                    onChange={(houseNumber) => updateLocation(index, { houseNumber })}
                  />
                  <TextField
                    id={id('postalCode')}
                    label={t('offersAdmin.form.postalCode')}
                    error={errors[key('postalCode')]}
                    inputMode="numeric"
                    value={location.postalCode}
                    onChange={(postalCode) => updateLocation(index, { postalCode })}
                  />
                  <TextField
                    id={id('city')}
                    label={t('offersAdmin.form.city')}
                    error={errors[key('city')]}
                    value={location.city}
                    onChange={(city) => updateLocation(index, { city })}
                  />
                </div>
                <div className="location-fieldset__coordinates">
                  <TextField
                    id={id('latitude')}
                    label={t('offersAdmin.form.latitude')}
                    hint={t('offersAdmin.form.latitudeHint')}
                    error={coordinatesError}
                    inputMode="decimal"
                    value={location.latitude}
                    onChange={(latitude) => updateLocation(index, { latitude })}
                    onBlur={() => {
                      setActiveIndex(index);
                      setFocusRequest((value) => value + 1);
                    }}
                  />
                  <TextField
                    id={id('longitude')}
                    label={t('offersAdmin.form.longitude')}
                    hint={t('offersAdmin.form.longitudeHint')}
                    inputMode="decimal"
                    value={location.longitude}
                    onChange={(longitude) => updateLocation(index, { longitude })}
                    onBlur={() => {
                      setActiveIndex(index);
                      setFocusRequest((value) => value + 1);
                    }}
                  />
                </div>
                <p className="location-fieldset__area" data-testid={`sozialraum-${index}`}>
                  {describeArea(location)}
                </p>
                <TextField
                  id={id('accessibilityNote')}
                  label={t('offersAdmin.form.accessibilityNote')}
                  hint={t('offersAdmin.form.accessibilityNoteHint')}
                  error={errors[key('accessibilityNote')]}
                  value={location.accessibilityNote}
                  onChange={(accessibilityNote) => updateLocation(index, { accessibilityNote })}
                />
              </fieldset>
            );
          })}
          {!readOnly ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                onChange([...locations, emptyLocation({ city: map.cityName })]);
                setActiveIndex(locations.length);
              }}
            >
              {t('offersAdmin.form.addLocation')}
            </button>
          ) : null}
        </div>
        <div className="location-section__map">
          <p className="location-section__map-title" id="location-map-title">
            {locations.length > 1
              ? t('offersAdmin.form.mapShowsLocation', { number: active + 1 })
              : t('offersAdmin.form.mapTitle')}
          </p>
          <Suspense fallback={<div className="map-canvas location-section__canvas" />}>
            <PointPickerCanvas
              className="location-section__canvas"
              bounds={map.cityBounds}
              basemapStyleUrl={map.basemapStyleUrl}
              dataAttributions={map.dataAttributions}
              areas={areas}
              selectedAreaId={activeArea ? String(activeArea.properties.id) : null}
              point={activePoint}
              focusRequest={focusRequest}
              onPick={handlePick}
              locale={locale}
              unavailableMessage={t('offersAdmin.form.mapUnavailable')}
            />
          </Suspense>
          <p className="location-section__area" aria-hidden="true">
            {activeLocation ? describeArea(activeLocation) : ''}
          </p>
          <p className="form-field__hint">{readOnly ? t('offersAdmin.form.mapReadOnly') : t('offersAdmin.form.mapHint')}</p>
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </section>
  );
}
