// Calm, print-friendly colours. Outlines and labels keep at least 4.5:1 against the background
// (see tests/unit/map-layers.test.ts); fills are light so that text on top stays readable.
export const mapColors = {
  background: '#f3f5f7',
  areaFill: '#dbe7f3',
  areaOutline: '#4f6d8a',
  districtOutline: '#1d3b5c',
  selectedFill: '#f6c453',
  selectedOutline: '#7a4a00',
  label: '#17212b',
  labelHalo: '#ffffff',
} as const;
