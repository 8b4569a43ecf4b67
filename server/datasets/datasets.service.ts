import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.ts';
import {
  cityManifestSchema,
  datasetManifestSchema,
  type Attribution,
  type CityManifest,
  type DatasetManifest,
  type DatasetStatus,
} from './datasets.schema.ts';

export const geodataDirectory = path.join(projectRoot, 'geodata');

function readJsonFiles(directory: string): { file: string; json: unknown }[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) as unknown }));
}

export function loadDatasetManifests(directory = path.join(geodataDirectory, 'datasets')): DatasetManifest[] {
  return readJsonFiles(directory).map(({ file, json }) => {
    const parsed = datasetManifestSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(`geodata/datasets/${file} is not a valid manifest: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    return parsed.data;
  });
}

export function loadCityManifests(directory = path.join(geodataDirectory, 'cities')): CityManifest[] {
  return readJsonFiles(directory).map(({ file, json }) => {
    const parsed = cityManifestSchema.safeParse(json);
    if (!parsed.success) throw new Error(`geodata/cities/${file} is not a valid city manifest: ${parsed.error.message}`);
    return parsed.data;
  });
}

export interface DatasetsService {
  list(): DatasetStatus[];
  get(id: string): DatasetStatus | undefined;
  city(): CityManifest;
  forCity(cityId: string): DatasetStatus[];
  attributions(): Attribution[];
  geodataDir: string;
}

export function createDatasetsService(options: { geodataDir: string; city: string }): DatasetsService {
  const manifests = loadDatasetManifests();
  const cities = loadCityManifests();
  const status = (manifest: DatasetManifest): DatasetStatus => {
    const filePath = path.resolve(options.geodataDir, manifest.file);
    return { ...manifest, path: filePath, present: fs.existsSync(filePath) };
  };
  const city = cities.find((candidate) => candidate.id === options.city);
  if (!city) {
    throw new Error(`CITY "${options.city}" has no manifest in geodata/cities (known: ${cities.map((c) => c.id).join(', ')})`);
  }
  return {
    geodataDir: options.geodataDir,
    list: () => manifests.map(status),
    get: (id) => {
      const manifest = manifests.find((candidate) => candidate.id === id);
      return manifest ? status(manifest) : undefined;
    },
    city: () => city,
    forCity: (cityId) =>
      manifests
        .filter((manifest) => manifest.city === cityId)
        .sort((a, b) => a.order - b.order)
        .map(status),
    attributions: () => {
      const seen = new Set<string>();
      const result: Attribution[] = [];
      for (const manifest of manifests.filter((candidate) => candidate.city === city.id || candidate.city === null)) {
        if (seen.has(manifest.attribution)) continue;
        seen.add(manifest.attribution);
        result.push({
          id: manifest.id,
          title: manifest.title,
          attribution: manifest.attribution,
          licence: manifest.licence,
          url: manifest.licenceUrl ?? manifest.sourceUrl,
        });
      }
      return result;
    },
  };
}
