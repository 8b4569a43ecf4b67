import { z } from 'zod';

/** Query of the HSDS list endpoints (HSDS 3.1 OpenAPI: page, per_page, search, taxonomy_term_id). */
export const hsdsListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(200).default(50),
  search: z.string().trim().min(1).max(200).optional(),
  /** An offer-type, target-group, … term id or code. */
  taxonomy_term_id: z.string().trim().min(1).max(80).optional(),
});
export type HsdsListQuery = z.output<typeof hsdsListQuerySchema>;

/** The paging envelope of HSDS 3.1 list responses. */
export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}
