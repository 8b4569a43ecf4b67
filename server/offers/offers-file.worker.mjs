// Entry of the import-file worker threads (server/offers/offers-file-reader.ts): registers tsx so the
// TypeScript module loads the same way under `tsx`, the CLI and Vitest.
import { register } from 'tsx/esm/api';

register();
const { readImportFileInWorker } = await import('./offers-file-reader.ts');

export default readImportFileInWorker;
