import { ApiProblem } from '../../../lib/api-client';

export type FormProblem = {
  /** Messages by the field the server named ("target.deadline"; "areaIds.2" also under "areaIds"). */
  fields: Map<string, string>;
  /** A sentence for the whole form: a refusal, a conflict, or a network failure. */
  general: string | null;
  status: number | null;
};

/** Reads a problem+json answer (RFC 9457) into messages per field, so that each shows at its field. */
export function formProblemOf(error: unknown, fallback: string): FormProblem {
  const fields = new Map<string, string>();
  if (!(error instanceof ApiProblem)) return { fields, general: fallback, status: null };
  for (const entry of error.problem?.errors ?? []) {
    if (!entry.field || !entry.message) continue;
    if (!fields.has(entry.field)) fields.set(entry.field, entry.message);
    const list = /^(.*)\.\d+$/.exec(entry.field);
    if (list && !fields.has(list[1]!)) fields.set(list[1]!, entry.message);
  }
  const general = fields.size > 0 ? null : (error.problem?.detail ?? error.problem?.title ?? fallback);
  return { fields, general, status: error.status };
}

/** Numbers typed with a German decimal comma ("12,5") or point; empty or not a number: null. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(/\s/g, '');
  if (trimmed === '') return null;
  const normalized = /,\d+$/.test(trimmed) ? trimmed.replace(/\./g, '').replace(',', '.') : trimmed;
  const value = Number(normalized);
  return Number.isFinite(value) ? value : null;
}
