import type request from 'supertest';

// Shared by the vector tile tests: where a point lies in the XYZ grid, and a binary body reader for supertest.

/** The XYZ tile holding a point, and the point's position in it (tile units of 4096). */
export function tileOf(lon: number, lat: number, z: number): { x: number; y: number; px: number; py: number } {
  const n = 2 ** z;
  const fx = ((lon + 180) / 360) * n;
  const latRad = (lat * Math.PI) / 180;
  const fy = ((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n;
  const x = Math.floor(fx);
  const y = Math.floor(fy);
  return { x, y, px: (fx - x) * 4096, py: (fy - y) * 4096 };
}

/** supertest's `.parse()` for a binary body (a tile): the bytes as one Buffer. */
export const binary = (response: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};
