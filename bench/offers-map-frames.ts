// What a frame of the citizens' offers map costs while it pans, in headless Chromium (software GL,
// SwiftShader, as the browser tests run it): the orientation layers as they were before issue 14's
// map work ("before": dashed Stadtteil outlines with round joins at MapLibre's default
// simplification, round street caps and joins, the casing from zoom 13, street names from zoom 15)
// against the layers as they are ("now"), alternated in one run at zooms 11, 13 and 15.
//
// Per variant and zoom: the longest and the median long task (PerformanceObserver 'longtask'), the
// time between animation frames, and the CPU time per frame of Chromium's GPU process (where
// SwiftShader draws) and renderer (MapLibre, and the read-back of each WebGL frame), from
// /proc/<pid>/stat: CPU time barely depends on the machine's load, wall time does. The load
// average is printed beside the figures.
//
//   PORT=3000 GEODATA_DIR=../shared/geodata-sources npm start     # Köln's default data, once
//   npx tsx bench/offers-map-frames.ts [http://127.0.0.1:3000] [rounds=2]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { chromium, type Page } from 'playwright-core';

const url = process.argv[2] ?? 'http://127.0.0.1:3000';
const rounds = Number(process.argv[3] ?? 2);
const marker = `--angebotsatlas-bench=${process.pid}`;

type Variant = 'before' | 'now';
type Figures = { longTasks: number[]; frames: number[]; cpu: Record<string, number> };

/** CPU milliseconds so far of the browser's processes, by process type (gpu-process, renderer, …). */
function cpuByProcessType(): Record<string, number> {
  const processes = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), parent: Number(match[2]), args: match[3]! }));
  const root = processes.find((process) => process.args.includes(marker) && !process.args.includes('--type='));
  if (!root) return {};
  const tree = new Set([root.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const process of processes) {
      if (tree.has(process.parent) && !tree.has(process.pid)) {
        tree.add(process.pid);
        grew = true;
      }
    }
  }
  const ticks = 1000 / 100; // USER_HZ is 100 on Linux
  const result: Record<string, number> = {};
  for (const process of processes.filter((candidate) => tree.has(candidate.pid))) {
    const type = /--type=([\w-]+)/.exec(process.args)?.[1] ?? 'browser';
    try {
      const fields = fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      result[type] = (result[type] ?? 0) + (Number(fields[11]) + Number(fields[12])) * ticks;
    } catch {
      // The process ended between ps and the read.
    }
  }
  return result;
}

/** Puts the orientation layers back as they were before (the "before" variant); "now" leaves them. */
async function applyVariant(page: Page, variant: Variant): Promise<void> {
  if (variant === 'now') return;
  await page.evaluate(() => {
    type BenchMap = {
      getSource(id: string): { serialize(): { data: unknown } } | undefined;
      getStyle(): { layers: Array<{ id: string; layout?: Record<string, unknown>; paint?: Record<string, unknown> }> };
      removeLayer(id: string): void;
      removeSource(id: string): void;
      addSource(id: string, source: unknown): void;
      addLayer(layer: unknown, before?: string): void;
      setLayoutProperty(layer: string, name: string, value: unknown): void;
      setPaintProperty(layer: string, name: string, value: unknown): void;
      setLayerZoomRange(layer: string, min: number, max: number): void;
    };
    const map = (globalThis as unknown as { __angebotsatlasOfferMap: BenchMap }).__angebotsatlasOfferMap;
    const style = map.getStyle();
    const data = map.getSource('offer-context-areas')!.serialize().data;
    const outline = style.layers.find((layer) => layer.id === 'offer-context-outline')!;
    map.removeLayer('offer-context-outline');
    map.removeSource('offer-context-areas');
    map.addSource('offer-context-areas', { type: 'geojson', data });
    map.addLayer({ ...outline, layout: { 'line-join': 'round' }, paint: { ...outline.paint, 'line-dasharray': [3, 2] } }, 'offer-context-label');
    for (const layer of ['offer-street-casing', 'offer-street']) {
      map.setLayoutProperty(layer, 'line-join', 'round');
      map.setLayoutProperty(layer, 'line-cap', 'round');
    }
    map.setLayerZoomRange('offer-street-casing', 13, 24);
    map.setPaintProperty('offer-street', 'line-color', '#ffffff');
    map.setLayerZoomRange('offer-street-label', 15, 24);
  });
}

async function measure(variant: Variant, zoom: number): Promise<Figures> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', marker],
  });
  try {
    // bypassCSP: the "before" variant edits the style from the page (the app's CSP forbids eval).
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'de-DE', bypassCSP: true });
    await context.addInitScript(() => {
      (globalThis as unknown as { __angebotsatlasTestHooks: boolean }).__angebotsatlasTestHooks = true;
      // tsx names the functions it compiles with a helper the page does not have.
      (globalThis as unknown as { __name: (target: unknown) => unknown }).__name = (target: unknown) => target;
    });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await page.waitForFunction(() => (globalThis as unknown as { __angebotsatlasOfferMap?: { loaded(): boolean } }).__angebotsatlasOfferMap?.loaded(), undefined, { timeout: 120_000 });
    await applyVariant(page, variant);
    const settle = (action: string, zoomLevel: number) =>
      page.evaluate(
        ({ action, zoomLevel }) =>
          new Promise<void>((resolve) => {
            const map = (globalThis as unknown as { __angebotsatlasOfferMap: { once(event: string, callback: () => void): void; jumpTo(options: unknown): void; triggerRepaint(): void } })
              .__angebotsatlasOfferMap;
            map.once('idle', () => resolve());
            setTimeout(resolve, 20_000);
            if (action === 'jump') map.jumpTo({ center: [6.96, 50.94], zoom: zoomLevel });
            else map.triggerRepaint();
          }),
        { action, zoomLevel },
      );
    await settle('jump', zoom);
    await settle('repaint', zoom);
    const before = cpuByProcessType();
    const result = await page.evaluate(async () => {
      const page = globalThis as unknown as {
        requestAnimationFrame(callback: (time: number) => void): number;
        PerformanceObserver: new (callback: (list: { getEntries(): Array<{ duration: number }> }) => void) => { observe(options: { type: string }): void };
      };
      const map = (globalThis as unknown as { __angebotsatlasOfferMap: { once(event: string, callback: () => void): void; panBy(offset: [number, number], options: unknown): void } })
        .__angebotsatlasOfferMap;
      const longTasks: number[] = [];
      new page.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
      const frames: number[] = [];
      let panning = true;
      let last = performance.now();
      const frame = (time: number) => {
        frames.push(time - last);
        last = time;
        if (panning) page.requestAnimationFrame(frame);
      };
      page.requestAnimationFrame(frame);
      for (const offset of [[300, 0], [0, 250], [-300, 0], [0, -250]] as Array<[number, number]>) {
        await new Promise<void>((resolve) => {
          map.once('moveend', () => resolve());
          map.panBy(offset, { duration: 600 });
        });
      }
      panning = false;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { longTasks, frames };
    });
    const after = cpuByProcessType();
    const cpu = Object.fromEntries(Object.keys(after).map((type) => [type, (after[type]! - (before[type] ?? 0)) / Math.max(1, result.frames.length)]));
    return { ...result, cpu };
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const longest = (values: number[]) => Math.max(0, ...values);

console.log(`offers map frames while panning — ${url}, ${rounds} rounds, variants alternated; load average ${os.loadavg().map((value) => value.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.log('zoom  variant  longest task  median task  long tasks  frames  median frame  longest frame  GPU ms/frame  renderer ms/frame  load');
for (let round = 0; round < rounds; round++) {
  for (const zoom of [11, 13, 15]) {
    for (const variant of (round % 2 === 0 ? ['before', 'now'] : ['now', 'before']) as Variant[]) {
      const figures = await measure(variant, zoom);
      console.log(
        [
          String(zoom).padEnd(4),
          variant.padEnd(7),
          `${Math.round(longest(figures.longTasks))} ms`.padStart(12),
          `${Math.round(median(figures.longTasks))} ms`.padStart(11),
          String(figures.longTasks.length).padStart(10),
          String(figures.frames.length).padStart(6),
          `${Math.round(median(figures.frames))} ms`.padStart(12),
          `${Math.round(longest(figures.frames))} ms`.padStart(13),
          (figures.cpu['gpu-process'] ?? 0).toFixed(1).padStart(12),
          (figures.cpu.renderer ?? 0).toFixed(1).padStart(17),
          os.loadavg()[0]!.toFixed(1).padStart(5),
        ].join('  '),
      );
    }
  }
}
