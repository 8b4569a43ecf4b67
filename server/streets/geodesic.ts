// Distances on the earth, in one place. Every distance the server measures between two lon/lat
// points goes through `earthDistanceMeters`: the search's airline distance and radius, snapping
// fallbacks, walking estimates without a network, the geocoder.
//
// It is PostGIS's sphere distance (lwgeodetic.c sphere_distance on the WGS 84 mean radius), because
// the search's SQL path orders and cuts by geography `<->` and ST_Distance(…, false), and the
// in-memory index must answer exactly alike (tests/unit/search-index.test.ts).
//
// One measure needs the ellipsoid: the coverage's airline mode promises the very shares of
// `ST_DWithin(geography, geography, r)`, which PostGIS measures on the spheroid
// (tests/api/coverage-*.test.ts compare with the database). `ellipsoidDistanceMeters` (Vincenty)
// serves that comparison and nothing else; the two differ by at most ≈ 0.5 %.

const wgs84A = 6_378_137;
const wgs84F = 1 / 298.257223563;
const wgs84B = wgs84A * (1 - wgs84F);
const eccentricitySquared = wgs84F * (2 - wgs84F);
const degree = Math.PI / 180;

/** PostGIS's sphere for geography distances: the WGS 84 mean radius (2a + b) / 3. */
export const sphereRadiusMeters = (2 * wgs84A + wgs84B) / 3;

/** Great-circle distance in metres, written as PostGIS's sphere_distance (lwgeodetic.c). */
export function earthDistanceMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  // Radians as (π · d) / 180, the order of operations of the index's inlined copy
  // (search-index.ts): the radius cut compares bit for bit.
  const startLat = (Math.PI * lat1) / 180;
  const endLat = (Math.PI * lat2) / 180;
  const deltaLon = (Math.PI * lon2) / 180 - (Math.PI * lon1) / 180;
  const cosDeltaLon = Math.cos(deltaLon);
  const cosEndLat = Math.cos(endLat);
  const sinEndLat = Math.sin(endLat);
  const cosStartLat = Math.cos(startLat);
  const sinStartLat = Math.sin(startLat);
  const a1 = (cosEndLat * Math.sin(deltaLon)) ** 2;
  const a2 = (cosStartLat * sinEndLat - sinStartLat * cosEndLat * cosDeltaLon) ** 2;
  const b = sinStartLat * sinEndLat + cosStartLat * cosEndLat * cosDeltaLon;
  return sphereRadiusMeters * Math.atan2(Math.sqrt(a1 + a2), b);
}

/** `earthDistanceMeters` of two positions. */
export function earthDistanceBetween(from: readonly [number, number], to: readonly [number, number]): number {
  return earthDistanceMeters(from[0], from[1], to[0], to[1]);
}

/**
 * Vincenty's inverse formula on the WGS 84 ellipsoid (iterated to 1e-12 rad, sub-millimetre), as
 * PostGIS measures geography on the spheroid. Only for the coverage's airline mode (see above).
 */
export function ellipsoidDistanceMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  if (lon1 === lon2 && lat1 === lat2) return 0;
  const f = wgs84F;
  const L = (lon2 - lon1) * degree;
  const U1 = Math.atan((1 - f) * Math.tan(lat1 * degree));
  const U2 = Math.atan((1 - f) * Math.tan(lat2 * degree));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  let sinSigma = 0;
  let cosSigma = 0;
  let sigma = 0;
  let cosSqAlpha = 0;
  let cos2SigmaM = 0;
  for (let iteration = 0; iteration < 200; iteration++) {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    sinSigma = Math.sqrt((cosU2 * sinLambda) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) ** 2);
    if (sinSigma === 0) return 0;
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cosSqAlpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cosSqAlpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cosSqAlpha;
    const C = (f / 16) * cosSqAlpha * (4 + f * (4 - 3 * cosSqAlpha));
    const previous = lambda;
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - previous) < 1e-12) break;
  }
  const uSq = (cosSqAlpha * (wgs84A * wgs84A - wgs84B * wgs84B)) / (wgs84B * wgs84B);
  const A = 1 + (uSq / 16384) * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
  const B = (uSq / 1024) * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
  const deltaSigma =
    B *
    sinSigma *
    (cos2SigmaM +
      (B / 4) *
        (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
  return wgs84B * A * (sigma - deltaSigma);
}

/**
 * A local metric frame around a latitude (radii of curvature of the ellipsoid): within a city,
 * planar distances in it differ from the ellipsoid distance by well under 0.1 %, enough to screen
 * candidates before the exact formula.
 */
export interface LocalFrame {
  metersPerDegreeLon: number;
  metersPerDegreeLat: number;
}

export function localFrame(latitude: number): LocalFrame {
  const sinLat = Math.sin(latitude * degree);
  const w = Math.sqrt(1 - eccentricitySquared * sinLat * sinLat);
  const meridian = (wgs84A * (1 - eccentricitySquared)) / (w * w * w);
  const primeVertical = wgs84A / w;
  return {
    metersPerDegreeLon: primeVertical * Math.cos(latitude * degree) * degree,
    metersPerDegreeLat: meridian * degree,
  };
}

/** Relative error allowed for the screening distance (generous: 1 %, plus one metre). */
export function screeningMargin(meters: number): number {
  return meters * 0.01 + 1;
}
