import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { projectRoot } from '../config.ts';
import {
  CityFileError,
  bundledIndicatorFileSchema,
  cityIndicatorFileSchema,
  cityManifestSchema,
  datasetManifestSchema,
  type CityManifest,
  type DatasetManifest,
  type IndicatorDefinition,
} from './datasets.schema.ts';

/** Where a file is shown in messages: inside the project relative to it, elsewhere absolute. */
export function shownPath(file: string): string {
  const relative = path.relative(projectRoot, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CityFileError(shownPath(file), [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CityFileError(shownPath(file), [`is not valid JSON: ${(error as Error).message}`]);
  }
}

/** Parses a JSON file with a zod schema; each problem names the field and the reason. */
export function parseJsonFile<Schema extends z.ZodType>(file: string, schema: Schema): z.infer<Schema> {
  const parsed = schema.safeParse(readJson(file));
  if (!parsed.success) {
    throw new CityFileError(
      shownPath(file),
      parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'}: ${issue.message}`),
    );
  }
  return parsed.data as z.infer<Schema>;
}

function jsonFilesIn(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => path.join(directory, file));
}

/** A dataset manifest; its id must match the file name. */
export function loadManifestFile(file: string): DatasetManifest {
  const manifest = parseJsonFile(file, datasetManifestSchema);
  if (`${manifest.id}.json` !== path.basename(file)) {
    throw new CityFileError(shownPath(file), [`id: declares "${manifest.id}"; the file must be named ${manifest.id}.json`]);
  }
  return manifest;
}

export function loadManifestDirectory(directory: string): DatasetManifest[] {
  return jsonFilesIn(directory).map(loadManifestFile);
}

/**
 * Indicator declarations. The bundled list (geodata/indicators.json) names unit and aggregation;
 * a city's own file names the kind — count (summed over areas), share (averaged) or index (never
 * aggregated) — and the source.
 */
export function loadIndicatorFile(file: string): IndicatorDefinition[] {
  const json = readJson(file);
  const bundled = bundledIndicatorFileSchema.safeParse(json);
  if (bundled.success) {
    return bundled.data.indicators.map((indicator) => ({
      code: indicator.code,
      labelDe: indicator.label_de,
      labelEn: indicator.label_en,
      descriptionDe: indicator.description_de ?? null,
      descriptionEn: indicator.description_en ?? null,
      unit: indicator.unit,
      aggregation: indicator.aggregation,
      source: null,
    }));
  }
  const own = parseJsonFile(file, cityIndicatorFileSchema);
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const [index, indicator] of own.indicators.entries()) {
    if (seen.has(indicator.code)) problems.push(`indicators.${index}.code: "${indicator.code}" is declared twice`);
    seen.add(indicator.code);
  }
  if (problems.length > 0) throw new CityFileError(shownPath(file), problems);
  return own.indicators.map((indicator) => ({
    code: indicator.code,
    labelDe: indicator.label.de,
    labelEn: indicator.label.en,
    descriptionDe: indicator.description?.de ?? null,
    descriptionEn: indicator.description?.en ?? null,
    unit: indicator.unit ?? (indicator.kind === 'count' ? 'persons' : indicator.kind === 'share' ? 'percent' : 'index'),
    aggregation: indicator.kind === 'count' ? 'sum' : indicator.kind === 'share' ? 'mean' : 'none',
    source: indicator.source ?? null,
  }));
}

/** Everything that makes one city: its profile, its datasets and its own declarations. */
export interface CitySource {
  profile: CityManifest;
  /** The file the profile came from (for messages). */
  profileFile: string;
  manifests: DatasetManifest[];
  /** Relative `file` paths of the manifests are resolved against this directory. */
  fileBase: string;
  /** The city folder; undefined for the bundled examples. */
  folder: string | undefined;
  /** The city's own indicator declarations (added to the bundled list), if any. */
  indicatorsFile: string | undefined;
  /** The city's own demand rules (taking precedence over the bundled ones), if any. */
  demandFile: string | undefined;
}

/**
 * A city folder (issue 13): `city.json`, `datasets/*.json` whose `file` paths are relative to the
 * folder (or absolute), and optionally `indicators.json` and `coverage-demand.json`.
 */
export function loadCityFolder(folder: string): CitySource {
  const profileFile = path.join(folder, 'city.json');
  if (!fs.existsSync(profileFile)) {
    throw new CityFileError(shownPath(folder), ['holds no city.json: create one with "npm run cli -- city init <id> --name <name>"']);
  }
  const profile = parseJsonFile(profileFile, cityManifestSchema);
  const manifests = loadManifestDirectory(path.join(folder, 'datasets'));
  const foreign = manifests.filter((manifest) => manifest.city !== null && manifest.city !== profile.id);
  if (foreign.length > 0) {
    throw new CityFileError(
      shownPath(path.join(folder, 'datasets')),
      foreign.map((manifest) => `${manifest.id}.json: city: names "${manifest.city}", but the folder holds the city "${profile.id}"`),
    );
  }
  const optional = (name: string) => {
    const file = path.join(folder, name);
    return fs.existsSync(file) ? file : undefined;
  };
  return {
    profile,
    profileFile,
    // A manifest in a city folder belongs to that city even when it leaves `city` out.
    manifests: manifests.map((manifest) => ({ ...manifest, city: profile.id })),
    fileBase: folder,
    folder,
    indicatorsFile: optional('indicators.json'),
    demandFile: optional('coverage-demand.json'),
  };
}

/** The bundled examples (geodata/cities/*.json with geodata/datasets/*.json), read the same way. */
export function loadBundledCities(geodataDirectory: string, dataSourcesDirectory: string): CitySource[] {
  const manifests = loadManifestDirectory(path.join(geodataDirectory, 'datasets'));
  return jsonFilesIn(path.join(geodataDirectory, 'cities')).map((file) => {
    const profile = parseJsonFile(file, cityManifestSchema);
    return {
      profile,
      profileFile: file,
      manifests: manifests.filter((manifest) => manifest.city === profile.id),
      fileBase: dataSourcesDirectory,
      folder: undefined,
      indicatorsFile: undefined,
      demandFile: undefined,
    };
  });
}

/** Manifests that belong to no city (the basemap assets). */
export function loadSharedManifests(geodataDirectory: string): DatasetManifest[] {
  return loadManifestDirectory(path.join(geodataDirectory, 'datasets')).filter((manifest) => manifest.city === null);
}
