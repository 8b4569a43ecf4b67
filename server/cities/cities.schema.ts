import type { AreaLevel } from '../areas/areas.schema.ts';
import type { CityManifest } from '../datasets/datasets.schema.ts';

/** `city init` could not write the city folder; the message names the file or option and why. */
export class CityInitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CityInitError';
  }
}

export interface CityInitOptions {
  id: string;
  name: string;
  /** The folder to write; GEODATA_DIR/cities/<id> by default. */
  folder: string;
  holidayState: string;
  areas?: { file: string; level: AreaLevel; codeField: string; nameField: string } | undefined;
  bbox?: CityManifest['bbox'] | undefined;
  center?: CityManifest['center'] | undefined;
  /** Overwrite an existing city.json. */
  force?: boolean;
}

export interface CityInitResult {
  folder: string;
  profileFile: string;
  profile: CityManifest;
  manifestFile: string | undefined;
}

/** A city of the database, as GET /api/cities lists it. */
export interface CitySummary {
  id: string;
  name: string;
  /** The city this portal serves. */
  current: boolean;
  /** Where the portal of that city runs (its profile's `portalUrl`), if known. */
  portalUrl: string | null;
}

export interface CitiesResponse {
  current: string | null;
  cities: CitySummary[];
}
