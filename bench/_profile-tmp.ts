import { connectDatabase } from '../server/db/connect.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { createTilesService } from '../server/tiles/tiles.service.ts';
const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL!, poolMax: 4 });
const db = database.knex;
const taxonomies = createTaxonomiesService({ db });
const s = createTilesService({ db, taxonomies, checkIntervalMs: 60_000, cacheSize: 0 });
await s.warmOfferIndex();
function tileAt(lon: number, lat: number, z: number) { const n = 2 ** z; const latRad = (lat * Math.PI) / 180; return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n) }; }
const tiles = [];
for (let z = 8; z <= 16; z++) { const a = tileAt(6.77, 51.08, z), b = tileAt(7.08, 50.83, z); for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) tiles.push({ z, x, y }); }
const byZ = new Map<number, number>();
const t0 = performance.now();
for (const t of tiles) { const b = performance.now(); await s.offerTile(t, {}); byZ.set(t.z, (byZ.get(t.z) ?? 0) + performance.now() - b); }
console.log('total', (performance.now() - t0).toFixed(0), [...byZ].map(([z, ms]) => `z${z}:${ms.toFixed(0)}`).join(' '));
await database.close();
