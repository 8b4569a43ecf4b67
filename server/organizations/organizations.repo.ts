import type { Knex } from 'knex';
import { whereVisibleOffer } from '../shared/visible-offers.ts';
import type { Organization, OrganizationSummary, PublicOrganization } from './organizations.schema.ts';

type Executor = Knex | Knex.Transaction;

interface OrganizationRow {
  id: string;
  name: string;
  website: string | null;
  email: string | null;
  phone: string | null;
  legal_status: string | null;
}

function toOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    name: row.name,
    website: row.website,
    email: row.email,
    phone: row.phone,
    legalStatus: row.legal_status,
  };
}

/**
 * Providers whose name contains the text (case-insensitive), those that start with it first.
 * strpos instead of LIKE: the text needs no escaping of % and _. A city has some thousand
 * providers at most, so scanning their names is cheap.
 */
export async function searchOrganizations(
  executor: Executor,
  search: { text: string | undefined; limit: number },
): Promise<OrganizationSummary[]> {
  const query = executor('organizations').select('id', 'name', 'website');
  if (search.text !== undefined) {
    query
      .whereRaw('strpos(lower(name), lower(?)) > 0', [search.text])
      .orderByRaw('strpos(lower(name), lower(?)) = 1 desc', [search.text]);
  }
  const rows = (await query.orderByRaw('lower(name) asc, id asc').limit(search.limit)) as Pick<OrganizationRow, 'id' | 'name' | 'website'>[];
  return rows.map((row) => ({ id: row.id, name: row.name, website: row.website }));
}

/** A provider of exactly this name, ignoring case (to keep one record per provider). */
/**
 * Serializes the transactions that create a provider of this name (in any case) until they end:
 * the name check and the insert of two people adding the same provider at once would otherwise
 * both find nothing and both insert. A transaction-scoped advisory lock on the name's hash; other
 * names are not held up (a hash collision only makes two creates wait for each other).
 */
export async function lockOrganizationName(trx: Knex.Transaction, name: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(lower(?), 0))', [name]);
}

export async function findOrganizationByName(executor: Executor, name: string): Promise<OrganizationSummary | undefined> {
  const row = (await executor('organizations')
    .select('id', 'name', 'website')
    .whereRaw('lower(name) = lower(?)', [name])
    .orderBy('created_at', 'asc')
    .first()) as Pick<OrganizationRow, 'id' | 'name' | 'website'> | undefined;
  return row ? { id: row.id, name: row.name, website: row.website } : undefined;
}

export async function insertOrganization(
  executor: Executor,
  input: { name: string; website: string | null; email: string | null; phone: string | null; legalStatus: string | null },
): Promise<Organization> {
  const [row] = (await executor('organizations')
    .insert({ name: input.name, website: input.website, email: input.email, phone: input.phone, legal_status: input.legalStatus })
    .returning(['id', 'name', 'website', 'email', 'phone', 'legal_status'])) as OrganizationRow[];
  if (!row) throw new Error('organization insert returned nothing');
  return toOrganization(row);
}

export async function findExistingOrganizationIds(executor: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = (await executor('organizations').select('id').whereIn('id', ids)) as { id: string }[];
  return new Set(rows.map((row) => row.id));
}

/** Providers named by an offer file (HSDS organization ids kept), 500 rows per statement. */
export async function insertOrganizations(
  executor: Executor,
  organizations: readonly { id: string; name: string; description: string | null }[],
): Promise<void> {
  for (let start = 0; start < organizations.length; start += 500) {
    await executor('organizations').insert(
      organizations
        .slice(start, start + 500)
        .map((organization) => ({ id: organization.id, name: organization.name.slice(0, 300), description: organization.description })),
    );
  }
}

interface PublicOrganizationRow extends OrganizationRow {
  description: string | null;
  parent_id: string | null;
}

function publicOrganizations(executor: Executor): Knex.QueryBuilder {
  // A provider is open data once it provides an offer the public sees (HSDS /organizations).
  const provides = whereVisibleOffer(executor('offers as o').select(executor.raw('1')).whereRaw('o.organization_id = org.id'));
  return executor('organizations as org').whereExists(provides);
}

const publicColumns = ['org.id', 'org.name', 'org.description', 'org.website', 'org.email', 'org.phone', 'org.legal_status', 'org.parent_id'];

function toPublicOrganization(row: PublicOrganizationRow): PublicOrganization {
  return { ...toOrganization(row), description: row.description, parentId: row.parent_id };
}

/** One page of the providers of visible offers, by name, and how many there are. */
export async function listPublicOrganizations(
  executor: Executor,
  search: { text: string | undefined; limit: number; offset: number },
): Promise<{ total: number; items: PublicOrganization[] }> {
  const filtered = () => {
    const query = publicOrganizations(executor);
    if (search.text !== undefined) query.whereRaw('strpos(lower(org.name), lower(?)) > 0', [search.text]);
    return query;
  };
  const [countRow, rows] = await Promise.all([
    filtered().count({ count: '*' }).first() as Promise<{ count: string | number } | undefined>,
    filtered().select(publicColumns).orderByRaw('lower(org.name) asc, org.id asc').limit(search.limit).offset(search.offset) as Promise<PublicOrganizationRow[]>,
  ]);
  return { total: Number(countRow?.count ?? 0), items: rows.map(toPublicOrganization) };
}

export async function findPublicOrganization(executor: Executor, id: string): Promise<PublicOrganization | undefined> {
  const row = (await publicOrganizations(executor).select(publicColumns).where('org.id', id).first()) as PublicOrganizationRow | undefined;
  return row ? toPublicOrganization(row) : undefined;
}
