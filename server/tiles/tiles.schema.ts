import { z } from 'zod';

export const tileExtent = 4096;
/** Pixels of a tile's neighbours drawn into it, so that symbols at the edge are not cut. */
export const tileBuffer = 64;
/** Below this zoom offers are drawn as clusters (a grid of cells), from it as single points. */
export const clusterMaxZoom = 13;
export const maxTileZoom = 20;

const codeSchema = z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/, 'must be a code such as "kita"');

export const tileParamsSchema = z
  .object({
    z: z.coerce.number({ error: 'must be a zoom level' }).int('must be a whole number').min(0, 'must be at least 0').max(maxTileZoom, `must be at most ${maxTileZoom}`),
    x: z.coerce.number({ error: 'must be a tile column' }).int('must be a whole number').min(0, 'must not be negative'),
    y: z.coerce.number({ error: 'must be a tile row' }).int('must be a whole number').min(0, 'must not be negative'),
  })
  .superRefine((tile, context) => {
    const size = 2 ** tile.z;
    if (tile.x >= size) context.addIssue({ code: 'custom', path: ['x'], message: `must be below ${size} at zoom ${tile.z}` });
    if (tile.y >= size) context.addIssue({ code: 'custom', path: ['y'], message: `must be below ${size} at zoom ${tile.z}` });
  });
export type TileAddress = z.output<typeof tileParamsSchema>;

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

/** The citizens' filters, as the search takes them (docs/search.md). */
export const offerTileQuerySchema = z
  .object({
    type: codeSchema.optional(),
    targetGroup: codeSchema.optional(),
    free: flag.optional(),
    accessible: flag.optional(),
    language: z.string().trim().regex(/^[a-z]{2,3}$/, 'must be a language code such as "tr"').optional(),
  })
  .strict();
export type OfferTileQuery = z.output<typeof offerTileQuerySchema>;

export const areaLevelParamsSchema = z.object({
  level: z.enum(['city', 'district', 'sozialraum', 'quarter'], { error: 'must be city, district, sozialraum or quarter' }),
});

export const emptyQuerySchema = z.object({}).strict();

/** Web Mercator bounds of a tile, in metres. */
export function tileBounds(tile: TileAddress): { xmin: number; ymin: number; xmax: number; ymax: number; size: number } {
  const world = 20037508.342789244;
  const size = (2 * world) / 2 ** tile.z;
  const xmin = -world + tile.x * size;
  const ymax = world - tile.y * size;
  return { xmin, ymin: ymax - size, xmax: xmin + size, ymax, size };
}

/** Path parameters of an area tile, for the OpenAPI description. */
export const areaTileParamsSchema = z.object({
  level: z.enum(['city', 'district', 'sozialraum', 'quarter']),
  z: z.coerce.number().int().min(0).max(maxTileZoom),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});
