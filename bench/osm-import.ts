/**
 * OpenStreetMap import: throughput (elements per second) and peak memory of the streamed reader
 * and extraction (server/imports/osm-extract.ts), then the whole import into a fresh embedded
 * database. Also tiled copies of the Bayreuth extract (N and 4N copies side by side, ids shifted)
 * to show how memory grows with the file when the city stays one tile, and an estimate for a
 * 200 MB regional extract.
 *
 *   node --expose-gc --import tsx bench/osm-import.ts [copies=4]
 *
 * Needs GEODATA_DIR with osm-extracts/. Every extraction runs in a child process of its own, so
 * its peak RSS (process.resourceUsage().maxRSS) is the importer's own (the embedded database alone
 * takes ≈ 1 GB). Prints the figures; docs/benchmarks.md keeps them. Not a test.
 */
import { spawnSync } from 'node:child_process';
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
const copies = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 4);
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
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number; peakHeld: number; baseHeld: number; ms: number; cpuMs: number }> {
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
  return { result, peakRss, peakHeld, baseHeld, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
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

interface ExtractFigures {
  elements: number;
  cpuMs: number;
  ms: number;
  peakHeld: number;
  peakRss: number;
  maxRss: number;
  kept: string;
  livePeak: number;
}

/**
 * One extraction, in this process (the child's side): figures as one JSON line. With `live`, every
 * 100th progress report (one per batch) forces a full garbage collection and samples what is still
 * reachable: the memory the extraction really holds, apart from the garbage V8 lets pile up.
 */
async function extractHere(file: string, bbox: BoundingBox, adminLevel: number | null, live: boolean): Promise<void> {
  let reports = 0;
  let livePeak = 0;
  const reachable = () => {
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const liveBase = live ? reachable() : 0;
  const { result, peakRss, peakHeld, baseHeld, ms, cpuMs } = await measured(() =>
    extractOsm(file, {
      addresses: true,
      network: true,
      offerFilters: mapping.rules.map((rule) => (tags: Record<string, string>) => Object.entries(rule.match).every(([key, value]) => (Array.isArray(value) ? value : [value]).includes(tags[key] ?? ''))),
      adminLevel,
      bbox,
      onProgress: () => {
        reports += 1;
        if (live && reports % 100 === 0) livePeak = Math.max(livePeak, reachable() - liveBase);
      },
    }),
  );
  const figures: ExtractFigures = {
    elements: result.elementsRead,
    cpuMs,
    ms,
    peakHeld: peakHeld - baseHeld,
    peakRss,
    // The process's own peak (kernel figure, KB): the child does nothing else.
    maxRss: process.resourceUsage().maxRSS * 1024,
    kept: `${result.addresses.length} addresses, ${result.segments.length} segments, ${result.offers.length} offers, ${result.boundaries.length} boundaries`,
    livePeak,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Runs one extraction in a fresh child process, so that its peak RSS (maxRSS) is its own. */
function extractInChild(label: string, file: string, bbox: BoundingBox, adminLevel: number | null, live = false): ExtractFigures {
  const args = ['--expose-gc', '--import', 'tsx', path.resolve('bench/osm-import.ts'), '--extract', file, bbox.join(','), String(adminLevel ?? ''), live ? 'live' : ''];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${label}: the extraction failed: ${child.stderr}`);
  const figures = JSON.parse(child.stdout.trim().split('\n').pop()!) as ExtractFigures;
  const size = fs.statSync(file).size;
  console.log(
    `${label.padEnd(34)} ${(size / 1e6).toFixed(1).padStart(5)} MB ${String(figures.elements).padStart(9)} elements: ${(figures.cpuMs / 1000).toFixed(1).padStart(5)} s CPU (${(figures.ms / 1000).toFixed(1)} s wall) = ` +
      `${Math.round(figures.elements / (figures.cpuMs / 1000)).toLocaleString('en').padStart(7)}/CPU-s; held at peak +${mb(figures.peakHeld)} MB (heap + typed arrays), ` +
      `peak RSS ${mb(figures.maxRss)} MB${live ? `; reachable at peak (full GC every 100th batch) +${(figures.livePeak / 1e6).toFixed(1)} MB` : ''}; kept ${figures.kept}`,
  );
  return figures;
}

/** A child that only loads the modules: the runtime's own RSS, to subtract. */
function baselineRss(): number {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.resolve('bench/osm-import.ts'), '--baseline'], { encoding: 'utf8', env: process.env });
  return Number(child.stdout.trim());
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores`);
  const base = baselineRss();
  console.log(`baseline: a child that only loads the modules peaks at ${mb(base)} MB RSS`);
  console.log('— extraction (the streamed part: four passes, nothing written), each in its own process —');
  const small = extractInChild('north-bayreuth.osm.gz', bayreuthFile, bayreuth.bbox, 7);
  const pbf = extractInChild('andorra.osm.pbf', andorraFile, andorra.bbox, 7);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osm-bench-'));
  const tiled: Array<{ copies: number; oneCity: ExtractFigures; live: ExtractFigures }> = [];
  for (const count of [...new Set([copies, copies * 4])]) {
    const tiledFile = path.join(tmp, `bayreuth-x${count}.osm.gz`);
    const tiledBox = await tiledBayreuth(count, tiledFile);
    if (count === copies) extractInChild(`bayreuth ×${count} (tiled), city = all`, tiledFile, tiledBox, 7);
    const oneCity = extractInChild(`bayreuth ×${count} (tiled), city = 1st`, tiledFile, bayreuth.bbox, 7);
    const live = extractInChild(`bayreuth ×${count} (tiled), city = 1st, live`, tiledFile, bayreuth.bbox, 7, true);
    tiled.push({ copies: count, oneCity, live });
    fs.rmSync(tiledFile);
  }
  const smallLive = extractInChild('north-bayreuth.osm.gz, live', bayreuthFile, bayreuth.bbox, 7, true);

  // A 200 MB regional PBF (e.g. a Regierungsbezirk) holds about 26 million elements (Andorra's PBF:
  // 72,443 in 0.57 MB). The PBF rate covers all four passes.
  const pbfRate = pbf.elements / (pbf.cpuMs / 1000);
  const regionalElements = 200 * (pbf.elements / (fs.statSync(andorraFile).size / 1e6));
  // Memory for the region outside the city: the growth from one tile to the most tiles, with the
  // city as one tile, per element added — reachable (what is held) and with garbage (RSS, heap).
  const largest = tiled[tiled.length - 1]!;
  const addedElements = largest.oneCity.elements - small.elements;
  const rssPerElement = (largest.oneCity.maxRss - small.maxRss) / addedElements;
  const heldPerElement = (largest.oneCity.peakHeld - small.peakHeld) / addedElements;
  const reachablePerElement = (largest.live.livePeak - smallLive.livePeak) / addedElements;
  console.log(
    `reachable memory at peak (what the extraction holds): ${(smallLive.livePeak / 1e6).toFixed(1)} MB for the extract, ` +
      tiled.map((entry) => `${(entry.live.livePeak / 1e6).toFixed(1)} MB for ×${entry.copies} with the city as one tile`).join(', '),
  );
  console.log(
    `scaling: file ×${largest.copies} (${addedElements.toLocaleString('en')} elements more), city = one tile: reachable ${reachablePerElement.toFixed(1)} bytes per added element; ` +
      `garbage included: peak RSS ${mb(small.maxRss)} → ${mb(largest.oneCity.maxRss)} MB (${rssPerElement.toFixed(1)} bytes per added element), heap at peak ${mb(small.peakHeld)} → ${mb(largest.oneCity.peakHeld)} MB (${heldPerElement.toFixed(1)})`,
  );
  console.log(
    `estimate, 200 MB PBF: ≈ ${(regionalElements / 1e6).toFixed(0)} M elements, ≈ ${(regionalElements / pbfRate / 60).toFixed(0)} CPU-min at ${Math.round(pbfRate).toLocaleString('en')}/CPU-s; ` +
      `reachable ≈ ${(smallLive.livePeak / 1e6).toFixed(1)} MB (this city) + ${mb(Math.max(0, reachablePerElement) * regionalElements)} MB for the region ` +
      `(${Math.max(0, reachablePerElement).toFixed(1)} bytes × ${(regionalElements / 1e6).toFixed(0)} M elements); RSS adds the runtime and V8's garbage up to its heap limit`,
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

if (process.argv[2] === '--extract') {
  const [file, box, level, live] = process.argv.slice(3);
  await extractHere(file!, box!.split(',').map(Number) as BoundingBox, level ? Number(level) : null, live === 'live');
} else if (process.argv[2] === '--baseline') {
  process.stdout.write(`${process.resourceUsage().maxRSS * 1024}\n`);
} else {
  await main();
}
