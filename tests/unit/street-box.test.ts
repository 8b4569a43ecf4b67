import { describe, expect, it } from 'vitest';
import { streetBox } from '../../client/lib/get-streets.ts';
import { streetsQuerySchema } from '../../server/geocoding/geocoding.schema.ts';

// The offers map asks for street lines in a box the client widens to a 0.01° grid; the server must
// accept every box the client sends (found by the panning browser test: a box of exactly 0.04° was
// refused, 50.95 − 50.91 being 0.04000000000000625 in floating point).
describe('street boxes: what the client asks for, the server accepts', () => {
  it('accepts every box the client builds for views over Cologne at zooms 13–16', () => {
    const refused: string[] = [];
    let asked = 0;
    for (let zoom = 13; zoom <= 16; zoom += 0.5) {
      // A 616 × 640 px map (the search page's) spans 616 / 256 / 2^zoom × 360° of longitude.
      const width = (616 / 256 / 2 ** zoom) * 360;
      const height = width * 0.66;
      for (let lon = 6.8; lon < 7.1; lon += 0.0037) {
        for (let lat = 50.85; lat < 51.05; lat += 0.0041) {
          const box = streetBox({ bbox: [lon, lat, lon + width, lat + height], zoom });
          if (box === null) continue;
          asked += 1;
          if (!streetsQuerySchema.safeParse({ bbox: box }).success) refused.push(box);
        }
      }
    }
    expect(asked).toBeGreaterThan(1000);
    expect(refused.slice(0, 5)).toEqual([]);
  });

  it('still refuses a box clearly larger than about 6 × 4 km', () => {
    expect(streetsQuerySchema.safeParse({ bbox: '6.90,50.90,7.00,50.95' }).success).toBe(false);
    expect(streetsQuerySchema.safeParse({ bbox: '6.90,50.90,6.99,50.95' }).success).toBe(false);
  });
});
