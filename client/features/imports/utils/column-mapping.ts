import { importColumnNames, importColumns, listSeparator, type ImportColumnMapping } from '../../../../server/offers/offers.schema';

// The mapping step: which column of a staff member's spreadsheet holds which field. The proposal
// uses the same German headers the server knows; a department's last choice is remembered in this
// browser, so the next file from the same spreadsheet needs no clicks.

const storagePrefix = 'angebotsatlas.importColumns.';

/** The header cells of a CSV text (comma or semicolon, as the server decides: the more frequent one). */
export function readCsvHeader(text: string): string[] {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (line.match(/;/g)?.length ?? 0) > (line.match(/,/g)?.length ?? 0) ? ';' : ',';
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index]!;
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        current += '"';
        index++;
      } else if (character === '"') quoted = false;
      else current += character;
    } else if (character === '"') quoted = true;
    else if (character === delimiter) {
      cells.push(current.trim());
      current = '';
    } else current += character;
  }
  cells.push(current.trim());
  return cells.filter((cell) => cell !== '');
}

const aliasToColumn = new Map<string, string>(importColumns.flatMap((entry) => [[entry.column, entry.column], ...entry.aliases.map((alias) => [alias, entry.column] as [string, string])]));

/** The field a header most likely holds: the remembered choice, then our column name or a known German header; '' = not read. */
export function proposeMapping(headers: readonly string[], remembered: ImportColumnMapping = {}): ImportColumnMapping {
  const proposal: ImportColumnMapping = {};
  for (const header of headers) {
    const fromMemory = remembered[header];
    if (fromMemory !== undefined && (fromMemory === '' || importColumnNames.includes(fromMemory))) proposal[header] = fromMemory;
    else proposal[header] = aliasToColumn.get(header.trim().toLowerCase()) ?? '';
  }
  return proposal;
}

/** Required fields no column is mapped to. Coordinates are optional: the address is looked up. */
export function missingRequired(mapping: ImportColumnMapping): string[] {
  const mapped = new Set(Object.values(mapping));
  return importColumns.filter((entry) => entry.required && !mapped.has(entry.column)).map((entry) => entry.column);
}

export function rememberedMapping(department: string): ImportColumnMapping {
  try {
    const stored = window.localStorage.getItem(storagePrefix + department);
    const parsed: unknown = stored ? JSON.parse(stored) : {};
    return parsed && typeof parsed === 'object' ? (parsed as ImportColumnMapping) : {};
  } catch {
    return {};
  }
}

export function rememberMapping(department: string, mapping: ImportColumnMapping): void {
  try {
    window.localStorage.setItem(storagePrefix + department, JSON.stringify({ ...rememberedMapping(department), ...mapping }));
  } catch {
    // Not remembering is acceptable: the proposal still comes from the headers.
  }
}

/** The template: German headers (the first alias of each column), semicolons, one example row. */
export function templateCsv(headerOf: (column: string) => string, example: Record<string, string>): string {
  const escape = (cell: string) => (/[";\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const header = importColumns.map((entry) => escape(headerOf(entry.column)));
  const row = importColumns.map((entry) => escape(example[entry.column] ?? ''));
  return `\uFEFF${header.join(';')}\r\n${row.join(';')}\r\n`;
}

export { importColumns, listSeparator };
