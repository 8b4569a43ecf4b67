// Entry of the import-file worker threads (server/offers/offers-file-reader.ts): registers tsx so the
// TypeScript modules load the same way under `tsx`, the CLI and Vitest. Like app.ts it composes:
// the HSDS format belongs to the hsds feature, which the offers feature itself never imports
// (hsds reads offers; see HsdsFileFormat in offers-files.service.ts).
import { register } from 'tsx/esm/api';

register();
const { readImportFileInWorker } = await import('./offers-file-reader.ts');
const { hsdsFileFormat } = await import('../hsds/hsds.service.ts');

export default (file) => readImportFileInWorker(file, hsdsFileFormat);
