import fs from 'node:fs';
import path from 'node:path';
import { testConfig } from '../helpers/app.ts';

export const geodataDir = testConfig().geodataDir;

/**
 * The real-data tests need the third-party files in GEODATA_DIR, which are not in the repository.
 * Without them the tests are skipped with the reason printed — except in CI, where missing data
 * is a failure. A file is named relative to GEODATA_DIR, or by an absolute path (a dataset's
 * resolved `path`: a bundled area-set list lies in the project's own geodata/ folder).
 */
export function geodataMissing(files: readonly string[]): boolean {
  const missing = files.filter((file) => !fs.existsSync(path.resolve(geodataDir, file)));
  if (missing.length === 0) return false;
  const reason = `GEODATA_DIR (${geodataDir}) lacks ${missing.join(', ')}; see docs/data-import.md for the download pages`;
  if (process.env.CI === 'true') throw new Error(`real-data import tests cannot run: ${reason}`);
  process.stdout.write(`[skipped] real-data import tests: ${reason}\n`);
  return true;
}
