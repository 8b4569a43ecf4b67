import { describe, expect, it } from 'vitest';
import {
  areaLayerIds,
  areaLayers,
  areaSourceIds,
  geoJsonSource,
  interactiveAreaLayerIds,
  labelFonts,
  selectedAreaFilter,
} from '../../client/map/layers/area-layers.ts';
import { mapColors } from '../../client/map/layers/map-colors.ts';
import { buildOfflineStyle, glyphsPath } from '../../client/map/layers/offline-style.ts';

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('offline style', () => {
  it('uses only our own origin for glyphs and has no sources of its own', () => {
    const style = buildOfflineStyle('http://127.0.0.1:3000/');
    expect(style.version).toBe(8);
    expect(style.glyphs).toBe('http://127.0.0.1:3000/assets/fonts/{fontstack}/{range}.pbf');
    expect(style.sources).toEqual({});
    expect(style.sprite).toBeUndefined();
  });

  it('keeps the {fontstack} and {range} placeholders unencoded', () => {
    expect(glyphsPath).toContain('{fontstack}');
    expect(glyphsPath).toContain('{range}');
    expect(buildOfflineStyle('https://atlas.example').glyphs).not.toMatch(/%7B/i);
  });

  it('starts with a background layer in the calm background colour', () => {
    const [background] = buildOfflineStyle('http://localhost').layers;
    expect(background).toMatchObject({ id: 'background', type: 'background' });
    expect(background?.paint).toEqual({ 'background-color': mapColors.background });
  });
});

describe('area layers', () => {
  const layers = areaLayers(null);

  it('has unique ids that match the exported ids', () => {
    const ids = layers.map((layer) => layer.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Object.values(areaLayerIds).sort());
  });

  it('draws fill below outlines and labels on top', () => {
    const ids = layers.map((layer) => layer.id);
    expect(ids.indexOf(areaLayerIds.fill)).toBeLessThan(ids.indexOf(areaLayerIds.outline));
    expect(ids.indexOf(areaLayerIds.outline)).toBeLessThan(ids.indexOf(areaLayerIds.districtOutline));
    expect(ids.indexOf(areaLayerIds.districtOutline)).toBeLessThan(ids.indexOf(areaLayerIds.selectedOutline));
    expect(ids.at(-1)).toBe(areaLayerIds.label);
  });

  it('only references the three known sources', () => {
    const sources = new Set(Object.values(areaSourceIds));
    for (const layer of layers) {
      expect('source' in layer && sources.has(layer.source as never)).toBe(true);
    }
  });

  it('labels with a font stack the server serves', () => {
    const label = layers.find((layer) => layer.id === areaLayerIds.label);
    if (label?.type !== 'symbol') throw new Error('the label layer must be a symbol layer');
    expect(label.layout?.['text-font']).toEqual([...labelFonts.regular]);
    expect(label.layout?.['text-field']).toEqual(['get', 'name']);
  });

  it('draws district lines thicker than Sozialraum lines', () => {
    const width = (id: string) => {
      const layer = layers.find((item) => item.id === id);
      const value = layer && layer.type === 'line' ? layer.paint?.['line-width'] : undefined;
      return value as unknown as [string, unknown, unknown, number, number, number, number];
    };
    const areaWidth = width(areaLayerIds.outline);
    const districtWidth = width(areaLayerIds.districtOutline);
    expect(districtWidth[4]).toBeGreaterThan(areaWidth[4]);
    expect(districtWidth[6]).toBeGreaterThan(areaWidth[6]);
  });

  it('makes the area fill clickable', () => {
    expect(interactiveAreaLayerIds).toContain(areaLayerIds.fill);
  });
});

describe('selection', () => {
  it('filters the highlight layers to the selected area id', () => {
    const layers = areaLayers('5b0a3d1c-0000-4000-8000-000000000001');
    for (const id of [areaLayerIds.selectedFill, areaLayerIds.selectedOutline]) {
      const layer = layers.find((item) => item.id === id);
      expect(layer && 'filter' in layer ? layer.filter : undefined).toEqual(
        selectedAreaFilter('5b0a3d1c-0000-4000-8000-000000000001'),
      );
    }
  });

  it('matches no area when nothing is selected', () => {
    expect(selectedAreaFilter(null)).toEqual(['==', ['to-string', ['get', 'id']], '']);
  });
});

describe('geojson source', () => {
  it('starts empty and carries the attribution only when given', () => {
    expect(geoJsonSource()).toMatchObject({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    expect(geoJsonSource()).not.toHaveProperty('attribution');
    expect(geoJsonSource(undefined, 'Stadt Köln')).toHaveProperty('attribution', 'Stadt Köln');
  });
});

describe('map colours', () => {
  it('keeps outlines and labels readable against the background (WCAG non-text 3:1, text 4.5:1)', () => {
    expect(contrast(mapColors.areaOutline, mapColors.background)).toBeGreaterThanOrEqual(3);
    expect(contrast(mapColors.districtOutline, mapColors.areaFill)).toBeGreaterThanOrEqual(3);
    expect(contrast(mapColors.selectedOutline, mapColors.selectedFill)).toBeGreaterThanOrEqual(3);
    expect(contrast(mapColors.label, mapColors.labelHalo)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(mapColors.label, mapColors.areaFill)).toBeGreaterThanOrEqual(4.5);
  });
});
