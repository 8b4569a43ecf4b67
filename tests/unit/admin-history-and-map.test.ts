import { describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { areaOfPoint } from '../../client/features/offers-admin/utils/area-of-point.ts';
import {
  describeLocation,
  formatHistoryValue,
  historyFieldLabelKey,
  orderedChanges,
  type HistoryFormatContext,
} from '../../client/features/offers-admin/utils/history-format.ts';
import { termTree } from '../../client/features/offers-admin/utils/terms.ts';
import { formatFileSize, guessFormat, percent } from '../../client/features/imports/utils/import-file.ts';
import {
  draggablePickerLayerIds,
  pickerColors,
  pickerLayerIds,
  pickerLayers,
  pickerPointCollection,
  pickerSource,
  pickerSourceId,
} from '../../client/map/layers/picker-layers.ts';
import { mapColors } from '../../client/map/layers/map-colors.ts';

function square(lon: number, lat: number, size: number): MultiPolygon {
  return {
    type: 'MultiPolygon',
    coordinates: [[[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]],
  };
}

describe('Sozialraum of a point (shown at once in the form)', () => {
  const areas = [
    { properties: { id: 'a', name: 'Altstadt', code: '101' }, geometry: square(6.9, 50.9, 0.05) },
    { properties: { id: 'b', name: 'Deutz', code: '105' }, geometry: square(6.95, 50.9, 0.05) },
  ];

  it('finds the area that holds the point', () => {
    expect(areaOfPoint(areas, [6.92, 50.92])?.properties.name).toBe('Altstadt');
    expect(areaOfPoint(areas, [6.97, 50.93])?.properties.name).toBe('Deutz');
  });

  it('finds none outside every area or without a point', () => {
    expect(areaOfPoint(areas, [7.5, 50.92])).toBeNull();
    expect(areaOfPoint(areas, null)).toBeNull();
  });

  it('respects holes', () => {
    const withHole = {
      properties: { id: 'h', name: 'Ring', code: '1' },
      geometry: {
        type: 'Polygon' as const,
        coordinates: [
          [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
          [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
        ],
      },
    };
    expect(areaOfPoint([withHole], [5, 5])).toBeNull();
    expect(areaOfPoint([withHole], [1, 1])?.properties.id).toBe('h');
  });
});

describe('history values and labels', () => {
  const context: HistoryFormatContext = {
    none: '–',
    termLabel: (_field, code) => ({ seniors: 'Senioren', families: 'Familien', kita: 'Kita' })[code] ?? code,
    statusLabel: (status) => (status === 'active' ? 'Aktiv' : status),
    publicationLabel: (publication) => (publication === 'published' ? 'Veröffentlicht' : 'Entwurf'),
    costLabel: (kind) => (kind === 'free' ? 'Kostenlos' : kind),
    reachLabel: (kind, meters) => (meters === null ? kind : `${kind} ${meters} m`),
    areaName: (id) => (id === 'a1' ? 'Ehrenfeld' : id),
    formatDate: (iso) => `am ${iso.slice(0, 10)}`,
    userLabel: (id) => (id === 'u1' ? 'anna@example.org' : id),
  };

  it('labels nested paths and keeps unknown ones as they are', () => {
    expect(historyFieldLabelKey('cost.kind')).toBe('costKind');
    expect(historyFieldLabelKey('reach.areaIds')).toBe('reachAreaIds');
    expect(historyFieldLabelKey('name')).toBe('name');
    expect(historyFieldLabelKey('somethingNew')).toBeNull();
  });

  it('shows labels instead of codes', () => {
    expect(formatHistoryValue('targetGroups', ['seniors', 'families'], context)).toBe('Senioren, Familien');
    expect(formatHistoryValue('offerType', 'kita', context)).toBe('Kita');
    expect(formatHistoryValue('publication', 'published', context)).toBe('Veröffentlicht');
    expect(formatHistoryValue('cost.kind', 'free', context)).toBe('Kostenlos');
    expect(formatHistoryValue('reach.areaIds', ['a1'], context)).toBe('Ehrenfeld');
    expect(formatHistoryValue('verifiedBy', 'u1', context)).toBe('anna@example.org');
    expect(formatHistoryValue('verifiedAt', '2026-03-01T10:00:00Z', context)).toBe('am 2026-03-01');
  });

  it('shows empty values as a dash and whole objects readably', () => {
    expect(formatHistoryValue('description', null, context)).toBe('–');
    expect(formatHistoryValue('languages', [], context)).toBe('–');
    expect(formatHistoryValue('cost', { kind: 'free', text: 'mit Pass' }, context)).toBe('Kostenlos: mit Pass');
    expect(formatHistoryValue('reach', { kind: 'walk', meters: 500 }, context)).toBe('walk 500 m');
    expect(formatHistoryValue('reach', { kind: 'area', areaIds: ['a1'] }, context)).toBe('area: Ehrenfeld');
    expect(formatHistoryValue('capacity', { value: 30, unit: 'Plätze' }, context)).toBe('30 Plätze');
    expect(formatHistoryValue('minAge', 60, context)).toBe('60');
  });

  it('describes a location by name, address and position', () => {
    expect(
      describeLocation({
        name: 'Bürgerhaus',
        address: { street: 'Parkstraße', houseNumber: '1', postalCode: '50667', city: 'Köln' },
        geometry: { coordinates: [6.955, 50.935] },
      }),
    ).toBe('Bürgerhaus, Parkstraße 1, 50667 Köln (50.93500, 6.95500)');
    expect(formatHistoryValue('locations', [{ name: 'A' }, { name: 'B' }], context)).toBe('A; B');
  });
});

describe('offer types in their hierarchy', () => {
  it('groups children under their parent in file order', () => {
    const term = (code: string, parent: string | null) => ({
      id: code,
      code,
      parent,
      label: { de: code, en: code },
      description: { de: null, en: null },
      defaultReach: null,
    });
    const tree = termTree([term('seniors', null), term('senior_meeting_place', 'seniors'), term('library', null)]);
    expect(tree.map((group) => [group.parent.code, group.children.map((child) => child.code)])).toEqual([
      ['seniors', ['senior_meeting_place']],
      ['library', []],
    ]);
  });
});

describe('import file helpers', () => {
  it('guesses the format from the file name', () => {
    expect(guessFormat('Angebote.CSV')).toBe('csv');
    expect(guessFormat('treffs.geojson')).toBe('geojson');
    expect(guessFormat('export.hsds.json')).toBe('hsds');
    expect(guessFormat('data.json')).toBeNull();
  });

  it('computes a bounded percentage and readable sizes', () => {
    expect(percent(50, 200)).toBe(25);
    expect(percent(300, 200)).toBe(100);
    expect(percent(1, 0)).toBe(0);
    expect(formatFileSize(1_234_567, 'de')).toBe('1,2 MB');
    expect(formatFileSize(999, 'en')).toBe('999 B');
  });
});

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('picker layers', () => {
  it('draws the point above its halo, both from the picker source', () => {
    const layers = pickerLayers();
    expect(layers.map((layer) => layer.id)).toEqual([pickerLayerIds.halo, pickerLayerIds.point]);
    expect(layers.every((layer) => layer.source === pickerSourceId)).toBe(true);
    expect([...draggablePickerLayerIds].sort()).toEqual(Object.values(pickerLayerIds).sort());
  });

  it('has one feature for a point and none without', () => {
    expect(pickerPointCollection([6.95, 50.93]).features).toHaveLength(1);
    expect(pickerPointCollection([6.95, 50.93]).features[0]?.geometry.coordinates).toEqual([6.95, 50.93]);
    expect(pickerPointCollection(null).features).toEqual([]);
    expect(pickerSource(null)).toMatchObject({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  });

  it('keeps the point visible (3:1) on the background, the area fill and the selected area', () => {
    for (const background of [mapColors.background, mapColors.areaFill, mapColors.selectedFill]) {
      expect(contrast(pickerColors.point, background)).toBeGreaterThanOrEqual(3);
    }
    expect(contrast(pickerColors.halo, '#ffffff')).toBeGreaterThanOrEqual(3);
  });
});

describe('order of the changes in a history entry', () => {
  const changes = [
    { field: 'accessibility', before: null, after: [] },
    { field: 'cost.kind', before: null, after: 'free' },
    { field: 'name', before: null, after: 'Treff' },
    { field: 'zzUnknown', before: null, after: 1 },
  ];

  it('follows the form (name first) and puts unknown fields last', () => {
    expect(orderedChanges(changes, false).map((change) => change.field)).toEqual(['name', 'accessibility', 'cost.kind', 'zzUnknown']);
  });

  it('leaves out empty fields of a newly created record', () => {
    expect(orderedChanges(changes, true).map((change) => change.field)).toEqual(['name', 'cost.kind', 'zzUnknown']);
  });
});
