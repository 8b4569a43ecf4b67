import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.ts';
import { loadBundledCities, loadCityFolder, loadIndicatorFile, loadSharedManifests, shownPath, type CitySource } from './city-files.ts';
import {
  CityFileError,
  type Attribution,
  type RecordSource,
  type CityManifest,
  type DatasetManifest,
  type DatasetStatus,
  type DatasetSummary,
  type IndicatorDefinition,
} from './datasets.schema.ts';

export const geodataDirectory = path.join(projectRoot, 'geodata');
const bundledIndicatorsFile = path.join(geodataDirectory, 'indicators.json');

/** Where city folders live in the data directory: GEODATA_DIR/cities/<id>/. */
export function citiesDirectoryOf(geodataDir: string): string {
  return path.join(geodataDir, 'cities');
}

/**
 * Every city this process knows, in one list and read one way: the bundled examples
 * (geodata/cities), the city folders in the data directory (GEODATA_DIR/cities/<id>/) and the
 * folder at CITY_DIR. A city id may appear once; a folder replaces nothing silently.
 */
export function loadCitySources(options: { geodataDir: string; cityDir?: string | undefined }): CitySource[] {
  const sources = loadBundledCities(geodataDirectory, options.geodataDir);
  const folders: string[] = [];
  {
    const citiesDirectory = citiesDirectoryOf(options.geodataDir);
    if (fs.existsSync(citiesDirectory)) {
      for (const entry of fs.readdirSync(citiesDirectory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.isDirectory() && fs.existsSync(path.join(citiesDirectory, entry.name, 'city.json'))) folders.push(path.join(citiesDirectory, entry.name));
      }
    }
  }
  if (options.cityDir && !folders.includes(path.resolve(options.cityDir))) folders.push(path.resolve(options.cityDir));
  for (const folder of folders) {
    const source = loadCityFolder(folder);
    const known = sources.find((candidate) => candidate.profile.id === source.profile.id);
    if (known) {
      throw new CityFileError(shownPath(source.profileFile), [`id: the city "${source.profile.id}" is already defined in ${shownPath(known.profileFile)}`]);
    }
    sources.push(source);
  }
  const byId = new Map<string, string>();
  for (const source of sources) {
    for (const manifest of source.manifests) {
      const other = byId.get(manifest.id);
      if (other && other !== source.profile.id) {
        throw new CityFileError(shownPath(source.profileFile), [`datasets: the dataset id "${manifest.id}" is also used by the city "${other}"; dataset ids must be unique`]);
      }
      byId.set(manifest.id, source.profile.id);
    }
  }
  return sources;
}

/** A city's indicators: the bundled list plus (and above it) the city's own declarations. */
function indicatorsOf(source: CitySource): IndicatorDefinition[] {
  const byCode = new Map(loadIndicatorFile(bundledIndicatorsFile).map((indicator) => [indicator.code, indicator]));
  if (source.indicatorsFile) for (const indicator of loadIndicatorFile(source.indicatorsFile)) byCode.set(indicator.code, indicator);
  return [...byCode.values()];
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
  /** The served city's own declarations: indicators and demand rules (undefined: the bundled ones). */
  cityFiles(): { indicators: string | undefined; demand: string | undefined; folder: string | undefined };
  /** The served city's indicators: the bundled list plus (and above) the city's own declarations. */
  indicators(): IndicatorDefinition[];
  /** The same for any known city (an import may target another city than the served one). */
  indicatorsFor(cityId: string): IndicatorDefinition[];
  forCity(cityId: string): DatasetStatus[];
  /** The catalogue as the API and the CLI show it, ordered by city and load order. */
  summaries(): DatasetSummary[];
  attributions(): Attribution[];
  /** The offer sources of the city (by `source` value), with the data date and completeness. */
  recordSources(): RecordSource[];
  geodataDir: string;
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createDatasetsService(options: {
  geodataDir: string;
  city: string;
  /** CITY_DIR: one city folder anywhere. */
  cityDir?: string | undefined;
}): DatasetsService {
  const sources = loadCitySources(options);
  const shared = loadSharedManifests(geodataDirectory);
  const manifests = [...shared, ...sources.flatMap((source) => source.manifests)];
  const fileBases = new Map<string, string>(sources.map((source) => [source.profile.id, source.fileBase]));
  const cities = sources.map((source) => source.profile);
  const bundledCities = new Set(sources.filter((candidate) => candidate.folder === undefined).map((candidate) => candidate.profile.id));
  const status = (manifest: DatasetManifest): DatasetStatus => {
    // A bundled area set list is the project's own file (geodata/area-sets), not a downloaded one.
    const ownFile = manifest.kind === 'area_sets' && (manifest.city === null || bundledCities.has(manifest.city));
    const base = ownFile ? geodataDirectory : ((manifest.city && fileBases.get(manifest.city)) ?? options.geodataDir);
    const filePath = path.resolve(base, manifest.file);
    return { ...manifest, path: filePath, present: fs.existsSync(filePath) };
  };
  const source = sources.find((candidate) => candidate.profile.id === options.city);
  if (!source) {
    throw new Error(
      `CITY "${options.city}" is neither a bundled city (geodata/cities) nor a city folder in ${citiesDirectoryOf(options.geodataDir)}${options.cityDir ? ` or at CITY_DIR (${options.cityDir})` : ''} (known: ${cities.map((c) => c.id).join(', ')}). Create one with "npm run cli -- city init ${options.city} --name <name>".`,
    );
  }
  const city = source.profile;
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
    indicators: () => indicatorsOf(source),
    indicatorsFor: (cityId) => {
      const known = sources.find((candidate) => candidate.profile.id === cityId);
      if (!known) throw new Error(`the city "${cityId}" is neither bundled nor a known city folder`);
      return indicatorsOf(known);
    },
    cityFiles: () => ({ indicators: source.indicatorsFile, demand: source.demandFile, folder: source.folder }),
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
