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

/**
 * Runs `work` and samples every 20 ms: peak RSS, and the peak of what the JavaScript side holds
 * (V8 heap + array buffers, where the typed arrays live). The CPU time is the rate's base: on this
 * shared machine wall time depends on what else runs.
 */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number; base: number; peakHeld: number; baseHeld: number; ms: number; cpuMs: number }> {
  collect();
  const held = () => {
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const base = process.memoryUsage().rss;
  const baseHeld = held();
  let peakRss = base;
  let peakHeld = baseHeld;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    peakHeld = Math.max(peakHeld, held());
  };
  const timer = setInterval(sample, 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(cpuBefore);
  const ms = performance.now() - started;
  clearInterval(timer);
  sample();
  return { result, peakRss, base, peakHeld, baseHeld, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
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

async function extractOnly(label: string, file: string, bbox: BoundingBox, adminLevel: number | null): Promise<{ elements: number; perCpuSecond: number; heldAbove: number }> {
  const { result, peakRss, base, peakHeld, baseHeld, ms, cpuMs } = await measured(() =>
    extractOsm(file, {
      addresses: true,
      network: true,
      offerFilters: mapping.rules.map((rule) => (tags: Record<string, string>) => Object.entries(rule.match).every(([key, value]) => (Array.isArray(value) ? value : [value]).includes(tags[key] ?? ''))),
      adminLevel,
      bbox,
    }),
  );
  const size = fs.statSync(file).size;
  const perCpuSecond = result.elementsRead / (cpuMs / 1000);
  console.log(
    `${label.padEnd(36)} ${(size / 1e6).toFixed(1).padStart(5)} MB ${String(result.elementsRead).padStart(8)} elements: ${(cpuMs / 1000).toFixed(1).padStart(5)} s CPU (${(ms / 1000).toFixed(1)} s wall) = ${Math.round(perCpuSecond).toLocaleString('en').padStart(7)}/CPU-s; ` +
      `held at peak +${mb(peakHeld - baseHeld)} MB (heap + typed arrays), RSS peak ${mb(peakRss)} MB (+${mb(peakRss - base)}); kept ${result.addresses.length} addresses, ${result.segments.length} segments, ${result.offers.length} offers, ${result.boundaries.length} boundaries`,
  );
  return { elements: result.elementsRead, perCpuSecond, heldAbove: peakHeld - baseHeld };
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
  // 72,443 in 0.57 MB). The rate covers all passes (each pass decodes the whole file); PBF
  // decoding is the slower path here, so the PBF rate is used.
  const andorraRate = (await extractOnly('andorra.osm.pbf (again)', andorraFile, andorra.bbox, 7)).perCpuSecond;
  const regionalElements = 200 * (72_443 / (fs.statSync(andorraFile).size / 1e6));
  // Memory: what the extraction holds for elements outside the city (refs and node ids in typed
  // arrays, one column entry per walkable way) — from the tiled file with the city as one tile.
  const outsideBytesPerElement = Math.max(0, oneCity.heldAbove - small.heldAbove) / (large.elements - small.elements);
  console.log(
    `estimate, 200 MB PBF: ≈ ${(regionalElements / 1e6).toFixed(0)} M elements, ≈ ${(regionalElements / andorraRate / 60).toFixed(0)} CPU-min at ${Math.round(andorraRate).toLocaleString('en')}/CPU-s; ` +
      `≈ ${outsideBytesPerElement.toFixed(0)} bytes held per element outside the city → ≈ ${mb(outsideBytesPerElement * regionalElements)} MB for the region besides the city's own data ` +
      `(held: one tile ${mb(small.heldAbove)} MB; ${copies} tiles, city = 1 tile ${mb(oneCity.heldAbove)} MB; city = all ${copies} tiles ${mb(large.heldAbove)} MB)`,
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
