import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import { knexForPostgres } from '../../server/db/connect.ts';
import { withDatabase } from '../helpers/template.ts';

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function runServer(environment: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/main.ts')], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', LOAD_DEFAULT_DATA: 'false', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('start-up and shutdown of server/main.ts', () => {
  const dataDirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dataDirs.map((directory) => fs.rm(directory, { recursive: true, force: true })));
  });

  it('stops with one sentence naming an invalid variable', async () => {
    const run = runServer({ PORT: 'eighty' });
    expect(await run.exit).not.toBe(0);
    expect(run.stderr().trim()).toBe(
      'Angebotsatlas cannot start: PORT must be a whole number between 0 and 65535 (got "eighty").',
    );
  });

  it('stops with one sentence when PostgreSQL cannot be reached, without printing the password', async () => {
    const run = runServer({ DATABASE_URL: 'postgres://atlas:topsecret@127.0.0.1:9/atlas', LOG_LEVEL: 'silent' });
    expect(await run.exit).not.toBe(0);
    const stderr = run.stderr().trim();
    expect(stderr).toMatch(/^Angebotsatlas cannot start: Cannot reach the PostgreSQL server at postgres:\/\/atlas:\*\*\*@127\.0\.0\.1:9\/atlas: the connection was refused/);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(run.stdout() + stderr).not.toContain('topsecret');
  });

  // PostgreSQL only: the embedded database always has PostGIS. This test belongs to the
  // PostgreSQL pass of the suite (DATABASE_URL set) and is not defined in the embedded pass.
  const onPostgres = process.env.DATABASE_URL ? it : (name: string) => console.info(`[postgresql pass only] ${name}`);
  onPostgres(
    'stops with one sentence when the database user may not enable PostGIS (PostgreSQL only)',
    async () => {
      const adminUrl = process.env.DATABASE_URL!;
      const admin = knexForPostgres(adminUrl, 1);
      const name = `angebotsatlas_nopostgis_${process.pid}`;
      try {
        await admin.raw('drop database if exists ?? with (force)', [name]);
        await admin.raw('drop role if exists ??', [name]);
        await admin.raw("create role ?? login password 'not-a-superuser'", [name]);
        await admin.raw('create database ?? owner ??', [name, name]);
        const url = new URL(withDatabase(adminUrl, name));
        url.username = name;
        url.password = 'not-a-superuser';
        const run = runServer({ DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' });
        expect(await run.exit).not.toBe(0);
        expect(run.stderr().trim()).toBe(
          'Angebotsatlas cannot start: PostGIS is not enabled in this database and the database user may not enable it: run "CREATE EXTENSION postgis" as a superuser.',
        );
      } finally {
        await admin.raw('drop database if exists ?? with (force)', [name]);
        await admin.raw('drop role if exists ??', [name]);
        await admin.destroy();
      }
    },
  );

  it('imports the OpenStreetMap extract a city folder declares on its first start, and not again on the next', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'angebotsatlas-start-osm-'));
    dataDirs.push(dataDir);
    const cityId = 'osm-startstadt';
    const cityDir = path.join(dataDir, 'city');
    await fs.mkdir(path.join(cityDir, 'datasets'), { recursive: true });
    await fs.writeFile(path.join(cityDir, 'city.json'), JSON.stringify({ id: cityId, name: 'Startstadt', bbox: [11.0, 50.0, 11.1, 50.1], center: [11.05, 50.05], holidayState: 'BY' }));
    await fs.writeFile(
      path.join(cityDir, 'extract.osm'),
      `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="50.05" lon="11.05"/>
  <node id="2" lat="50.051" lon="11.05"/>
  <node id="4" lat="50.0505" lon="11.0502"><tag k="addr:street" v="Am Anger"/><tag k="addr:housenumber" v="3a"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/><tag k="name" v="Am Anger"/></way>
</osm>
`,
    );
    await fs.writeFile(
      path.join(cityDir, 'datasets', `${cityId}-osm.json`),
      JSON.stringify({
        id: `${cityId}-osm`,
        city: cityId,
        kind: 'osm',
        title: 'OpenStreetMap extract',
        file: 'extract.osm',
        sourceUrl: 'https://www.openstreetmap.org/',
        publisher: 'OpenStreetMap-Mitwirkende',
        licence: 'ODbL 1.0',
        attribution: '© OpenStreetMap-Mitwirkende, ODbL',
        loadByDefault: true,
        osm: { addresses: true, network: true },
      }),
    );
    const environment: Record<string, string> = { PORT: '0', DATA_DIR: path.join(dataDir, 'data'), LOG_LEVEL: 'info', CITY: cityId, CITY_DIR: cityDir, LOAD_DEFAULT_DATA: 'true' };
    if (process.env.DATABASE_URL) {
      // A database of its own: the start-up import must find the city without OSM data.
      const admin = knexForPostgres(process.env.DATABASE_URL, 1);
      const name = `angebotsatlas_osmstart_${process.pid}`;
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.raw('create database ??', [name]);
      await admin.destroy();
      environment.DATABASE_URL = withDatabase(process.env.DATABASE_URL, name);
    }
    const logOf = (run: Run) => run.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; tables?: Record<string, { inserted: number }> });
    const start = async (): Promise<{ run: Run; port: string }> => {
      const run = runServer(environment);
      await waitFor(() => /running at http:\/\/127\.0\.0\.1:(\d+)\//.test(run.stdout()) || run.child.exitCode !== null, 300_000);
      const port = /running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(run.stdout())?.[1];
      expect(port, run.stderr() + run.stdout()).toBeDefined();
      return { run, port: port! };
    };

    const first = await start();
    const answer = await fetch(`http://127.0.0.1:${first.port}/api/geocode?q=${encodeURIComponent('Am Anger 3a')}`, { headers: { Connection: 'close' } });
    expect(answer.status).toBe(200);
    const [best] = ((await answer.json()) as { features: Array<{ properties: { label: string; precision: string } }> }).features;
    expect(best?.properties).toMatchObject({ label: 'Am Anger 3a', precision: 'house_number' });
    const imported = logOf(first.run).find((line) => line.msg === 'OSM import finished');
    expect(imported?.tables).toMatchObject({ street_segments: { inserted: 1 }, address_points: { inserted: 1 } });
    first.run.child.kill('SIGTERM');
    expect(await first.run.exit).toBe(0);

    const second = await start();
    second.run.child.kill('SIGTERM');
    expect(await second.run.exit).toBe(0);
    expect(logOf(second.run).map((line) => line.msg)).not.toContain('OSM import finished');
    expect(second.run.stdout()).not.toContain('importing the OpenStreetMap extract');
    if (process.env.DATABASE_URL) {
      const admin = knexForPostgres(process.env.DATABASE_URL, 1);
      await admin.raw('drop database if exists ?? with (force)', [environment.DATABASE_URL!.split('/').pop()!]);
      await admin.destroy();
    }
  }, 720_000);

  it('serves, then finishes in-flight work and closes the database on SIGTERM', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'angebotsatlas-start-'));
    dataDirs.push(dataDir);
    const environment: Record<string, string> = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    if (process.env.DATABASE_URL) environment.DATABASE_URL = process.env.DATABASE_URL;
    const run = runServer(environment);
    await waitFor(() => /running at http:\/\/127\.0\.0\.1:(\d+)\//.test(run.stdout()) || run.child.exitCode !== null, 120_000);
    const port = /running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(run.stdout())?.[1];
    expect(port, run.stderr()).toBeDefined();
    const health = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { Connection: 'close' } });
    expect(health.status).toBe(200);
    // A request on its own connection, sent before the signal: it must still be answered.
    const inFlight = new Promise<number>((resolve, reject) => {
      const outgoing = http.get({ host: '127.0.0.1', port, path: '/api/areas?level=sozialraum', agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      outgoing.on('error', reject);
      outgoing.on('socket', (socket) => socket.on('connect', () => setTimeout(() => run.child.kill('SIGTERM'), 5)));
    });
    expect(await inFlight).toBe(200);
    expect(await run.exit).toBe(0);
    const logLines = run.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; level: number });
    expect(logLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['shutting down: finishing in-flight requests', 'database closed; bye']),
    );
    const requestLog = logLines.find((line) => line.msg === 'request completed') as { req?: { id?: string } } | undefined;
    expect(requestLog?.req?.id).toMatch(/^[0-9a-f-]{36}$/);
  }, 180_000);
});
