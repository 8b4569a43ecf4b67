/**
 * Airline distances on the WGS 84 ellipsoid, as PostGIS measures geography. A cheap local
 * approximation screens the pairs; Vincenty's inverse formula (iterated to 1e-12 rad,
 * sub-millimetre) decides every distance that is used, so the shares within an airline
 * radius agree with `ST_DWithin(geography, geography, r)` (tested against the database).
 */

const a = 6378137;
const f = 1 / 298.257223563;
const b = a * (1 - f);
const degree = Math.PI / 180;
const eccentricitySquared = f * (2 - f);

/** Vincenty's inverse formula; metres between two lon/lat points (degrees). */
export function ellipsoidDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  if (lon1 === lon2 && lat1 === lat2) return 0;
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
    sinSigma = Math.sqrt(
      (cosU2 * sinLambda) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) ** 2,
    );
    if (sinSigma === 0) return 0;
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cosSqAlpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cosSqAlpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cosSqAlpha;
    const C = (f / 16) * cosSqAlpha * (4 + f * (4 - 3 * cosSqAlpha));
    const previous = lambda;
    lambda =
      L +
      (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - previous) < 1e-12) break;
  }
  const uSq = (cosSqAlpha * (a * a - b * b)) / (b * b);
  const A = 1 + (uSq / 16384) * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
  const B = (uSq / 1024) * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
  const deltaSigma =
    B *
    sinSigma *
    (cos2SigmaM +
      (B / 4) *
        (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
          (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
  return b * A * (sigma - deltaSigma);
}

/**
 * A local metric frame around a latitude (radii of curvature of the ellipsoid): within a
 * city, planar distances in it differ from the ellipsoid distance by well under 0.1 %,
 * enough to screen candidates before the exact formula.
 */
export interface LocalFrame {
  metersPerDegreeLon: number;
  metersPerDegreeLat: number;
}

export function localFrame(latitude: number): LocalFrame {
  const sinLat = Math.sin(latitude * degree);
  const w = Math.sqrt(1 - eccentricitySquared * sinLat * sinLat);
  const meridian = (a * (1 - eccentricitySquared)) / (w * w * w);
  const primeVertical = a / w;
  return {
    metersPerDegreeLon: primeVertical * Math.cos(latitude * degree) * degree,
    metersPerDegreeLat: meridian * degree,
  };
}

/** Relative error allowed for the screening distance (generous: 1 %, plus one metre). */
export function screeningMargin(meters: number): number {
  return meters * 0.01 + 1;
}
