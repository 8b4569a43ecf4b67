import { z } from 'zod';
import { phonePattern } from '../shared/contact.ts';

/** A form sends "" for an empty field; it means "no value". */
const emptyToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

export const maxOrganizationSearchLimit = 50;

/** GET /api/organizations?q=&limit= — without q, the first providers by name. */
export const listOrganizationsQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(maxOrganizationSearchLimit).default(20),
});
export type ListOrganizationsQuery = z.output<typeof listOrganizationsQuerySchema>;

/** POST /api/organizations */
export const createOrganizationSchema = z.strictObject({
  name: z.string().trim().min(1).max(300),
  website: z.preprocess(emptyToNull, z.url({ protocol: /^https?$/ }).max(2000).nullable()).optional(),
  email: z.preprocess(emptyToNull, z.email().max(254).nullable()).optional(),
  phone: z.preprocess(emptyToNull, z.string().trim().max(40).regex(phonePattern).nullable()).optional(),
  legalStatus: z.preprocess(emptyToNull, z.string().trim().max(200).nullable()).optional(),
});
export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>;
export type CreateOrganization = z.output<typeof createOrganizationSchema>;

/** What anyone may read about a provider (Träger); it is shown with public offers anyway. */
export interface OrganizationSummary {
  id: string;
  name: string;
  website: string | null;
}

export interface Organization extends OrganizationSummary {
  email: string | null;
  phone: string | null;
  legalStatus: string | null;
}

/** A provider of visible offers, as open data (HSDS /organizations) shows it. */
export interface PublicOrganization extends Organization {
  description: string | null;
  parentId: string | null;
}

export interface OrganizationList {
  items: OrganizationSummary[];
}
