import { describe, expect, it } from 'vitest';
import { flatColumnsOfField, locateInFile } from '../../server/offers/offers.formats.ts';

describe('offer fields in the flat file form', () => {
  it('maps offer fields to their columns', () => {
    expect(flatColumnsOfField('minAge')).toEqual({ location: undefined, columns: ['min_age'] });
    expect(flatColumnsOfField('targetGroups.2')).toEqual({ location: undefined, columns: ['target_groups'] });
    expect(flatColumnsOfField('cost.kind')).toEqual({ location: undefined, columns: ['cost_kind'] });
    expect(flatColumnsOfField('reach.areaIds.0')).toEqual({ location: undefined, columns: ['reach_area_ids'] });
    expect(flatColumnsOfField('department_code')).toEqual({ location: undefined, columns: ['department_code'] });
  });

  it('maps location fields to their columns and says which location', () => {
    expect(flatColumnsOfField('locations.1.geometry.coordinates.1')).toEqual({ location: 1, columns: ['latitude'] });
    expect(flatColumnsOfField('locations.0.geometry.coordinates.0')).toEqual({ location: 0, columns: ['longitude'] });
    expect(flatColumnsOfField('locations.0.geometry.coordinates')).toEqual({ location: 0, columns: ['longitude', 'latitude'] });
    expect(flatColumnsOfField('locations.2.address.houseNumber')).toEqual({ location: 2, columns: ['house_number'] });
    expect(flatColumnsOfField('locations.0.id')).toEqual({ location: 0, columns: ['location_id'] });
    expect(flatColumnsOfField('locations')).toEqual({ location: undefined, columns: ['longitude', 'latitude'] });
  });

  it('knows nothing of fields the offer does not have', () => {
    expect(flatColumnsOfField('record')).toBeUndefined();
    expect(flatColumnsOfField('locations.0.colour')).toBeUndefined();
  });

  const origin = { row: 2, locationRows: [2, 5], headers: new Map([['latitude', 'Latitude'], ['min_age', 'Min_Age']]) };

  it('names CSV columns as the header spells them, on the line of the location', () => {
    expect(locateInFile('csv', origin, 'locations.1.geometry.coordinates.1')).toEqual({ row: 5, field: 'Latitude' });
    expect(locateInFile('csv', origin, 'minAge')).toEqual({ row: 2, field: 'Min_Age' });
    expect(locateInFile('csv', origin, 'locations.0.geometry.coordinates')).toEqual({ row: 2, field: 'longitude, Latitude' });
    expect(locateInFile('csv', origin, 'record')).toEqual({ row: 2, field: 'record' });
  });

  it('gives GeoJSON paths inside the file', () => {
    const geo = { row: 3, locationRows: [3, 4], headers: undefined };
    expect(locateInFile('geojson', geo, 'locations.1.geometry.coordinates.1')).toEqual({ row: 4, field: 'features[3].geometry.coordinates[1]' });
    expect(locateInFile('geojson', geo, 'locations.0.geometry.coordinates')).toEqual({ row: 3, field: 'features[2].geometry' });
    expect(locateInFile('geojson', geo, 'minAge')).toEqual({ row: 3, field: 'features[2].properties.min_age' });
    expect(locateInFile('geojson', geo, 'farbe')).toEqual({ row: 3, field: 'features[2].properties.farbe' });
    expect(locateInFile('geojson', geo, 'record')).toEqual({ row: 3, field: 'features[2]' });
  });
});
