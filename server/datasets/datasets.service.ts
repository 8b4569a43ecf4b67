import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.ts';
import {
  cityManifestSchema,
  datasetManifestSchema,
  type Attribution,
  type RecordSource,
  type CityManifest,
  type DatasetManifest,
  type DatasetStatus,
  type DatasetSummary,
} from './datasets.schema.ts';

export const geodataDirectory = path.join(projectRoot, 'geodata');

function readJsonFiles(directory: string): { file: string; json: unknown }[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(directory, file), 'utf8');
      try {
        return { file, json: JSON.parse(text) as unknown };
      } catch (error) {
        throw new Error(`${path.relative(projectRoot, path.join(directory, file))} is not valid JSON: ${(error as Error).message}`);
      }
    });
}

export function loadDatasetManifests(directory = path.join(geodataDirectory, 'datasets')): DatasetManifest[] {
  const manifests = readJsonFiles(directory).map(({ file, json }) => {
    const parsed = datasetManifestSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(
        `geodata/datasets/${file} is not a valid manifest: ${parsed.error.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; ')}`,
      );
    }
    if (`${parsed.data.id}.json` !== file) {
      throw new Error(`geodata/datasets/${file} declares the id "${parsed.data.id}"; the file must be named ${parsed.data.id}.json`);
    }
    return parsed.data;
  });
  return manifests;
}

export function loadCityManifests(directory = path.join(geodataDirectory, 'cities')): CityManifest[] {
  return readJsonFiles(directory).map(({ file, json }) => {
    const parsed = cityManifestSchema.safeParse(json);
    if (!parsed.success) throw new Error(`geodata/cities/${file} is not a valid city manifest: ${parsed.error.message}`);
    return parsed.data;
  });
}

export function toDatasetSummary(dataset: DatasetStatus): DatasetSummary {
  return {
    id: dataset.id,
    city: dataset.city,
    kind: dataset.kind,
    title: dataset.title,
    file: dataset.file,
    present: dataset.present,
    sourceUrl: dataset.sourceUrl,
    downloadUrl: dataset.downloadUrl ?? null,
    publisher: dataset.publisher,
    licence: dataset.licence,
    licenceUrl: dataset.licenceUrl ?? null,
    attribution: dataset.attribution,
    dataDate: dataset.dataDate ?? null,
    crs: dataset.crs ?? null,
    loadByDefault: dataset.loadByDefault,
    order: dataset.order,
  };
}

export interface DatasetsService {
  list(): DatasetStatus[];
  get(id: string): DatasetStatus | undefined;
  city(): CityManifest;
  /** Any city with a manifest (imports may target another city than the configured one). */
  findCity(id: string): CityManifest | undefined;
  forCity(cityId: string): DatasetStatus[];
  /** The catalogue as the API and the CLI show it, ordered by city and load order. */
  summaries(): DatasetSummary[];
  attributions(): Attribution[];
  /** The offer sources of the city (by `source` value), with the data date and completeness. */
  recordSources(): RecordSource[];
  geodataDir: string;
}

export function createDatasetsService(options: { geodataDir: string; city: string; manifestsDir?: string }): DatasetsService {
  const manifests = loadDatasetManifests(options.manifestsDir);
  const cities = loadCityManifests();
  const status = (manifest: DatasetManifest): DatasetStatus => {
    const filePath = path.resolve(options.geodataDir, manifest.file);
    return { ...manifest, path: filePath, present: fs.existsSync(filePath) };
  };
  const city = cities.find((candidate) => candidate.id === options.city);
  if (!city) {
    throw new Error(`CITY "${options.city}" has no manifest in geodata/cities (known: ${cities.map((c) => c.id).join(', ')})`);
  }
  const byCityAndOrder = (a: DatasetManifest, b: DatasetManifest) =>
    (a.city ?? '').localeCompare(b.city ?? '') || a.order - b.order || a.id.localeCompare(b.id);
  return {
    geodataDir: options.geodataDir,
    list: () => manifests.map(status),
    get: (id) => {
      const manifest = manifests.find((candidate) => candidate.id === id);
      return manifest ? status(manifest) : undefined;
    },
    city: () => city,
    findCity: (id) => cities.find((candidate) => candidate.id === id),
    forCity: (cityId) =>
      manifests
        .filter((manifest) => manifest.city === cityId)
        .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
        .map(status),
    summaries: () => [...manifests].sort(byCityAndOrder).map((manifest) => toDatasetSummary(status(manifest))),
    attributions: () => {
      const byAttribution = new Map<string, Attribution>();
      for (const manifest of manifests.filter((candidate) => candidate.city === city.id || candidate.city === null).sort(byCityAndOrder)) {
        const dataset = { id: manifest.id, title: manifest.title, dataDate: manifest.dataDate ?? null };
        const known = byAttribution.get(manifest.attribution);
        if (known) {
          known.datasets.push(dataset);
          continue;
        }
        byAttribution.set(manifest.attribution, {
          id: manifest.id,
          title: manifest.title,
          attribution: manifest.attribution,
          licence: manifest.licence,
          url: manifest.licenceUrl ?? manifest.sourceUrl,
          datasets: [dataset],
        });
      }
      return [...byAttribution.values()];
    },
    recordSources: () => {
      const bySource = new Map<string, RecordSource>();
      for (const manifest of manifests.filter((candidate) => candidate.city === city.id).sort(byCityAndOrder)) {
        if (manifest.kind !== 'offers') continue;
        const source = manifest.source ?? manifest.id;
        const known = bySource.get(source);
        const incomplete = manifest.inventoryComplete ? [] : [manifest.mapping.offerType];
        if (known) {
          known.incompleteOfferTypes.push(...incomplete.filter((code) => !known.incompleteOfferTypes.includes(code)));
          // Files of one source may have different dates: the oldest is what the citizen must know.
          if (manifest.dataDate && (!known.dataDate || manifest.dataDate < known.dataDate)) known.dataDate = manifest.dataDate;
          continue;
        }
        bySource.set(source, {
          source,
          publisher: manifest.publisher,
          attribution: manifest.attribution,
          dataDate: manifest.dataDate ?? null,
          incompleteOfferTypes: incomplete,
        });
      }
      return [...bySource.values()];
    },
  };
}
