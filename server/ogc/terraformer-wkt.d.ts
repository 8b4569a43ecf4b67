// @terraformer/wkt ships no type declarations; these are the two functions the OGC filter uses.
declare module '@terraformer/wkt' {
  export function wktToGeoJSON(wkt: string): GeoJSON.Geometry;
  export function geojsonToWKT(geometry: GeoJSON.Geometry): string;
}
