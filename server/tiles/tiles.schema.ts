import { z } from 'zod';

export const tileExtent = 4096;
/** Pixels of a tile's neighbours drawn into it, so that symbols at the edge are not cut. */
export const tileBuffer = 64;
/** Below this zoom offers are drawn as clusters (a grid of cells), from it as single points. */
export const clusterMaxZoom = 13;
export const maxTileZoom = 20;

// Messages: tiles.messages.ts.
const codeSchema = z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/);

export const tileParamsSchema = z
  .object({
    z: z.coerce.number().int().min(0).max(maxTileZoom),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .superRefine((tile, context) => {
    const size = 2 ** tile.z;
    if (tile.x >= size) context.addIssue({ code: 'custom', path: ['x'], params: { key: 'beyond_zoom', size, zoom: tile.z } });
    if (tile.y >= size) context.addIssue({ code: 'custom', path: ['y'], params: { key: 'beyond_zoom', size, zoom: tile.z } });
  });
export type TileAddress = z.output<typeof tileParamsSchema>;

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A comma-separated (or repeated) list parameter, as the search takes its lists. */
function listOf(item: z.ZodString) {
  return z.preprocess(
    (value) => {
      if (value === undefined || value === '') return undefined;
      const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => String(part).split(','));
      return parts.map((part) => part.trim()).filter((part) => part.length > 0);
    },
    z.array(item).min(1).max(20).optional(),
  );
}

/**
 * The citizens' filters, as the search takes them (docs/search.md), so that the map shows what
 * the list shows: offer types, target groups and languages any of the listed, accessibility
 * features all of them (`accessible=true` is a step-free entrance), `free`.
 */
export const offerTileQuerySchema = z
  .object({
    type: listOf(codeSchema),
    targetGroup: listOf(codeSchema),
    free: flag.optional(),
    accessible: z.preprocess((value) => (value === 'true' || value === '1' ? 'step_free_entrance' : value === 'false' || value === '0' ? undefined : value), listOf(codeSchema)),
    language: listOf(z.string().trim().regex(/^[a-z]{2,3}$/)),
  })
  .strict();
export type OfferTileQuery = z.output<typeof offerTileQuerySchema>;

export const areaLevelParamsSchema = z.object({
  level: z.enum(['city', 'district', 'sozialraum', 'quarter', 'area_set']),
});

export const emptyQuerySchema = z.object({}).strict();

/** Half the Web Mercator world's width, in metres (EPSG:3857: π times its sphere's radius). */
export const mercatorHalfWorld = 20037508.342789244;

/** Web Mercator bounds of a tile, in metres. */
export function tileBounds(tile: TileAddress): { xmin: number; ymin: number; xmax: number; ymax: number; size: number } {
  const world = mercatorHalfWorld;
  const size = (2 * world) / 2 ** tile.z;
  const xmin = -world + tile.x * size;
  const ymax = world - tile.y * size;
  return { xmin, ymin: ymax - size, xmax: xmin + size, ymax, size };
}

/** Path parameters of an area tile, for the OpenAPI description. */
export const areaTileParamsSchema = z.object({
  level: z.enum(['city', 'district', 'sozialraum', 'quarter', 'area_set']),
  z: z.coerce.number().int().min(0).max(maxTileZoom),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});
