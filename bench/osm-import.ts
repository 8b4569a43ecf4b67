/**
 * OpenStreetMap import: throughput (elements per second) and peak memory of the streamed reader
 * and extraction (server/imports/osm-extract.ts), then the whole import into a fresh embedded
 * database. Also a tiled copy of the Bayreuth extract (N copies side by side, ids shifted) to show
 * how memory grows with the file, and an estimate for a 200 MB regional extract.
 *
 *   node --expose-gc --import tsx bench/osm-import.ts [copies=4]
 *
 * Needs GEODATA_DIR with osm-extracts/. The extraction runs before the database is opened, so its
 * peak RSS is the importer's own (the embedded database alone takes ≈ 1 GB). Prints the figures;
 * docs/benchmarks.md keeps them. Not a test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { extractOsm, type BoundingBox } from '../server/imports/osm-extract.ts';
import { createOsmImportService, readOsmOfferMapping, type OsmCity } from '../server/imports/osm-import.service.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { seedReferenceData } from '../seeds/reference-data.ts';

const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }, 'bench');
const bayreuthFile = path.join(config.geodataDir, 'osm-extracts/north-bayreuth.osm.gz');
const andorraFile = path.join(config.geodataDir, 'osm-extracts/andorra.osm.pbf');
const bayreuth: OsmCity = { id: 'bayreuth-nord', name: 'Bayreuth Nord', bbox: [11.4807, 49.9721, 11.6053, 50.047], holidayState: 'BY' };
const andorra: OsmCity = { id: 'andorra', name: 'Andorra', bbox: [1.4, 42.42, 1.79, 42.66] };
const copies = Number(process.argv[2] ?? 4);
const mapping = readOsmOfferMapping(path.resolve('geodata/osm-offers.json'));
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let round = 0; round < 3; round++) gc();
}

/** Samples RSS every 20 ms while `work` runs. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; base: number; ms: number }> {
  collect();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, peak, base, ms };
}

/** N copies of the Bayreuth extract side by side (0.14° apart), every id shifted per copy: a bigger real-shaped file. */
async function tiledBayreuth(count: number, target: string): Promise<BoundingBox> {
  const out = zlib.createGzip();
  const sink = fs.createWriteStream(target);
  out.pipe(sink);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', () => resolve())));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n');
  // OSM files list all nodes, then ways, then relations: one pass per element kind over the copies.
  for (const kind of ['node', 'way', 'relation']) {
    for (let copy = 0; copy < count; copy++) {
      const offset = copy * 10_000_000_000;
      const lines = readline.createInterface({ input: fs.createReadStream(bayreuthFile).pipe(zlib.createGunzip()) });
      let inside = false;
      for await (const line of lines) {
        const trimmed = line.trimStart();
        if (trimmed.startsWith(`<${kind} `)) inside = true;
        if (!inside) continue;
        const shifted = line
          .replace(/ (id|ref)="(\d+)"/g, (_match, key: string, id: string) => ` ${key}="${Number(id) + offset}"`)
          .replace(/ lon="([-\d.]+)"/, (_match, lon: string) => ` lon="${(Number(lon) + copy * 0.14).toFixed(7)}"`);
        await write(`${shifted}\n`);
        if (trimmed.startsWith(`</${kind}>`) || (trimmed.startsWith(`<${kind} `) && trimmed.endsWith('/>'))) inside = false;
      }
    }
  }
  await write('</osm>\n');
  out.end();
  await new Promise<void>((resolve) => sink.on('finish', () => resolve()));
  return [bayreuth.bbox[0], bayreuth.bbox[1], bayreuth.bbox[2] + (count - 1) * 0.14, bayreuth.bbox[3]];
}

async function extractOnly(label: string, file: string, bbox: BoundingBox, adminLevel: number | null): Promise<{ elements: number; perSecond: number; peakAbove: number }> {
  const { result, peak, base, ms } = await peakRss(() =>
    extractOsm(file, {
      addresses: true,
      network: true,
      offerFilters: mapping.rules.map((rule) => (tags: Record<string, string>) => Object.entries(rule.match).every(([key, value]) => (Array.isArray(value) ? value : [value]).includes(tags[key] ?? ''))),
      adminLevel,
      bbox,
    }),
  );
  const size = fs.statSync(file).size;
  const perSecond = result.elementsRead / (ms / 1000);
  console.log(
    `${label.padEnd(34)} ${(size / 1e6).toFixed(1).padStart(6)} MB  ${String(result.elementsRead).padStart(9)} element reads in ${(ms / 1000).toFixed(1).padStart(5)} s = ${Math.round(perSecond).toLocaleString('en').padStart(9)}/s; ` +
      `peak RSS ${mb(peak)} MB (${mb(peak - base)} MB above the ${mb(base)} MB before); kept ${result.addresses.length} addresses, ${result.segments.length} segments, ${result.offers.length} offers, ${result.boundaries.length} boundaries`,
  );
  return { elements: result.elementsRead, perSecond, peakAbove: peak - base };
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores`);
  console.log('— extraction (the streamed part: three passes, nothing written) —');
  const small = await extractOnly('north-bayreuth.osm.gz', bayreuthFile, bayreuth.bbox, 7);
  await extractOnly('andorra.osm.pbf', andorraFile, andorra.bbox, 7);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osm-bench-'));
  const tiledFile = path.join(tmp, `bayreuth-x${copies}.osm.gz`);
  const tiledBox = await tiledBayreuth(copies, tiledFile);
  const large = await extractOnly(`bayreuth ×${copies} (tiled), city = all`, tiledFile, tiledBox, 7);
  const oneCity = await extractOnly(`bayreuth ×${copies} (tiled), city = 1st`, tiledFile, bayreuth.bbox, 7);

  // A 200 MB regional PBF (e.g. a Regierungsbezirk) holds about 25 million elements (Andorra's PBF:
  // 72,443 in 0.57 MB). The rate above covers all passes (a file element is decoded in each pass);
  // PBF decoding is the slower path here, so the PBF rate is used.
  const andorraRate = (await extractOnly('andorra.osm.pbf (again)', andorraFile, andorra.bbox, 7)).perSecond;
  const regionalElements = 200 * (72_443 / (fs.statSync(andorraFile).size / 1e6));
  // Memory: what the extraction keeps for elements outside the city (the ways' refs and node ids in
  // typed arrays, one small record per wanted way) from the tiled file with the city as one tile;
  // everything inside the city is kept as lines and points (bounded by the city, not the file).
  const outsideBytesPerElement = Math.max(0, oneCity.peakAbove - small.peakAbove) / (large.elements - small.elements);
  console.log(
    `estimate, 200 MB PBF: ≈ ${(regionalElements / 1e6).toFixed(0)} M elements, ${(regionalElements / andorraRate / 60).toFixed(0)} min at ${Math.round(andorraRate).toLocaleString('en')} elements/s; ` +
      `memory ≈ ${outsideBytesPerElement.toFixed(0)} bytes per element outside the city → ≈ ${mb(outsideBytesPerElement * regionalElements)} MB for the region beyond the city's own data ` +
      `(city = all tiles: ${mb(large.peakAbove)} MB, city = 1 of ${copies} tiles: ${mb(oneCity.peakAbove)} MB, one tile alone: ${mb(small.peakAbove)} MB above the start)`,
  );

  console.log('— whole import into a fresh embedded database —');
  const database = await connectDatabase({ dataDir: path.join(tmp, 'data') });
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  const service = createOsmImportService({ db: database.knex, taxonomies: createTaxonomiesService({ db: database.knex }), logger: pino({ level: 'silent' }) });
  for (const [label, file, city, request] of [
    ['north-bayreuth.osm.gz: addresses, network, offers', bayreuthFile, bayreuth, { addresses: true, network: true, offers: mapping }],
    ['andorra.osm.pbf: network, areas (admin_level 7)', andorraFile, andorra, { addresses: false, network: true, areas: { adminLevel: 7, level: 'district' as const } }],
  ] as const) {
    const started = performance.now();
    const report = await service.run(file, { city, request });
    const seconds = (performance.now() - started) / 1000;
    const written = Object.entries(report.tables).map(([table, counts]) => `${table} ${counts.inserted}`).join(', ');
    console.log(`${label.padEnd(52)} ${report.status} in ${seconds.toFixed(1)} s (${Math.round(report.elementsRead / seconds).toLocaleString('en')} element reads/s end to end): ${written}`);
  }
  await database.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

await main();
