import { commonMessages } from '../http/common-messages.ts';
import type { Knex } from 'knex';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/auth.schema.ts';
import { ConflictError, ForbiddenError, UnauthorizedError } from '../http/errors.ts';
import { fillMessage, type Language, type MessageCatalogue } from '../http/localized-validation.ts';
import {
  findExistingOrganizationIds,
  findPublicOrganization,
  listPublicOrganizations,
  findOrganizationByName,
  insertOrganization,
  insertOrganizations,
  lockOrganizationName,
  searchOrganizations,
} from './organizations.repo.ts';
import type { CreateOrganization, ListOrganizationsQuery, Organization, OrganizationSummary, PublicOrganization } from './organizations.schema.ts';

export interface OrganizationsRequestContext {
  actor: Actor;
  language: Language;
  requestId?: string | undefined;
}

export interface OrganizationsService {
  search(context: OrganizationsRequestContext, query: ListOrganizationsQuery): Promise<OrganizationSummary[]>;
  create(context: OrganizationsRequestContext, input: CreateOrganization): Promise<Organization>;
  /** Providers of offers the public sees (open data), by name; `text` narrows by name. */
  listPublic(search: { text: string | undefined; limit: number; offset: number }): Promise<{ total: number; items: PublicOrganization[] }>;
  /** A provider of offers the public sees; undefined for any other id. */
  findPublic(id: string): Promise<PublicOrganization | undefined>;
  /** Which of these ids name a provider (the offer rules check references with it). */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  /** For the offer file import, inside its transaction: the providers its HSDS file brings along. */
  insertImported(trx: Knex.Transaction, organizations: readonly { id: string; name: string; description: string | null }[]): Promise<void>;
}

/** Field messages (by zod path segment) and problem details, German first. */
export const organizationMessages: MessageCatalogue = {
  ...commonMessages,
  'format.phone': {
    de: 'Ist keine Telefonnummer; erlaubt sind Ziffern, Leerzeichen und + / - ( ), zum Beispiel 0221 123456.',
    en: 'Is not a telephone number; use digits, spaces and + / - ( ), for example +49 221 123456.',
  },
  read_only_role: {
    de: 'Ihre Rolle (Planung) darf Träger lesen, aber nicht anlegen.',
    en: 'Your role (planner) may read providers but not create them.',
  },
  duplicate_organization: {
    de: 'Den Träger „{name}“ gibt es schon; bitte diesen auswählen.',
    en: 'The provider "{name}" exists already; please choose it.',
  },
};

export function createOrganizationsService(deps: { db: Knex; audit: AuditService }): OrganizationsService {
  return {
    existingIds: (ids) => findExistingOrganizationIds(deps.db, ids),
    listPublic: (search) => listPublicOrganizations(deps.db, search),
    findPublic: (id) => findPublicOrganization(deps.db, id),
    insertImported: (trx, organizations) => insertOrganizations(trx, organizations),
    async search(_context, parsed) {
      const text = parsed.q?.normalize('NFC');
      return searchOrganizations(deps.db, { text: text === '' ? undefined : text, limit: parsed.limit });
    },

    async create(context, parsed) {
      const { actor, language } = context;
      if (actor.kind === 'anonymous') throw new UnauthorizedError(fillMessage(organizationMessages.sign_in_required!, language));
      // Editors add the providers of their offers; planners read only (like offers).
      if (actor.role === 'planner') throw new ForbiddenError(fillMessage(organizationMessages.read_only_role!, language), 'read_only_role');
      const input = {
        name: parsed.name.normalize('NFC'),
        website: parsed.website ?? null,
        email: parsed.email ?? null,
        phone: parsed.phone ?? null,
        legalStatus: parsed.legalStatus ?? null,
      };
      return deps.db.transaction(async (trx) => {
        await lockOrganizationName(trx, input.name);
        const existing = await findOrganizationByName(trx, input.name);
        if (existing) {
          throw new ConflictError(fillMessage(organizationMessages.duplicate_organization!, language, { name: existing.name }), 'duplicate_organization', {
            existing,
          });
        }
        const organization = await insertOrganization(trx, input);
        await deps.audit.record(trx, {
          actor: { id: actor.id, label: actor.email },
          action: 'organization.create',
          entityType: 'organization',
          entityId: organization.id,
          entityVersion: null,
          requestId: context.requestId,
          before: null,
          after: {
            name: organization.name,
            website: organization.website,
            email: organization.email,
            phone: organization.phone,
            legalStatus: organization.legalStatus,
          },
        });
        return organization;
      });
    },
  };
}
