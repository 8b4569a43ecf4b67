import { bilingualValidationError } from '../http/localized-validation.ts';
import type { Taxonomy } from '../taxonomies/taxonomies.schema.ts';
import { coverageMessages } from './coverage.messages.ts';
import type { CoverageMethod, DistanceBandInput, ReachMode } from './coverage.schema.ts';
import { targetGroupForOfferType, type DemandMapping } from './demand.ts';
import { defaultBands, type DistanceBand } from './e2sfca.ts';

// The question of a coverage computation, resolved once: which terms are asked for, which
// residents they serve (geodata/coverage-demand.json) and which reach applies.

const defaultTargetGroupReach = { mode: 'walk' as ReachMode, meters: 1000 };
const areaReachFallback = { mode: 'airline' as ReachMode, meters: 1000 };

export type FieldLocation = 'query' | 'body';

/** An offer type or target group as coverage reads it (from the taxonomies service, issue 10). */
export interface TermRecord {
  id: string;
  taxonomy: 'offer_type' | 'target_group';
  code: string;
  parentId: string | null;
  labelDe: string;
  labelEn: string;
  defaultReachKind: 'walk' | 'radius' | 'area' | null;
  defaultReachMeters: number | null;
}

/** The offer types and target groups of the taxonomies, in their order. */
export function coverageTermsOf(taxonomies: readonly Taxonomy[]): TermRecord[] {
  return taxonomies.flatMap((taxonomy) => {
    if (taxonomy.code !== 'offer_type' && taxonomy.code !== 'target_group') return [];
    const kind = taxonomy.code;
    const idByCode = new Map(taxonomy.terms.map((term) => [term.code, term.id]));
    return taxonomy.terms.map((term) => ({
      id: term.id,
      taxonomy: kind,
      code: term.code,
      parentId: term.parent === null ? null : (idByCode.get(term.parent) ?? null),
      labelDe: term.label.de,
      labelEn: term.label.en,
      defaultReachKind: term.defaultReach?.kind ?? null,
      defaultReachMeters: term.defaultReach && term.defaultReach.kind !== 'area' ? term.defaultReach.meters : null,
    }));
  });
}

export interface Question {
  offerType?: string | undefined;
  targetGroup?: string | undefined;
  mode?: ReachMode | undefined;
  distance?: number | undefined;
  year?: number | undefined;
  detourFactor?: number | undefined;
  bands?: DistanceBandInput[] | undefined;
}

/** The asked terms and the residents they serve. */
export interface ResolvedTerms {
  offerTypeTerm: TermRecord | undefined;
  offerTypeAncestors: TermRecord[];
  targetGroupTerm: TermRecord | undefined;
  targetGroupCode: string;
  targetGroupLabel: string;
  demandDefinition: DemandMapping['targetGroups'][string];
}

export interface Reach {
  mode: ReachMode;
  meters: number;
  detourFactor: number;
  bands: DistanceBand[];
  defaultFromOfferType: boolean;
  basis: CoverageMethod['reach']['basis'];
  note: string;
}

export function field(location: FieldLocation, name: string): string {
  return location === 'query' ? `query.${name}` : name;
}

export function descendantsOf(terms: readonly TermRecord[], root: TermRecord): TermRecord[] {
  const result = [root];
  for (let index = 0; index < result.length; index++) {
    const parent = result[index]!;
    for (const term of terms) if (term.taxonomy === parent.taxonomy && term.parentId === parent.id) result.push(term);
  }
  return result;
}

export function ancestorsOf(terms: readonly TermRecord[], term: TermRecord): TermRecord[] {
  const byId = new Map(terms.map((candidate) => [candidate.id, candidate]));
  const result: TermRecord[] = [];
  let current = term.parentId ? byId.get(term.parentId) : undefined;
  while (current && result.length < 20) {
    result.push(current);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return result;
}

function findTerm(
  terms: readonly TermRecord[],
  taxonomy: 'offer_type' | 'target_group',
  code: string | undefined,
  fieldName: string,
): TermRecord | undefined {
  if (!code) return undefined;
  const term = terms.find((candidate) => candidate.taxonomy === taxonomy && candidate.code === code);
  if (!term) {
    const message = taxonomy === 'offer_type' ? coverageMessages.unknown_offer_type! : coverageMessages.unknown_target_group!;
    throw bilingualValidationError([{ field: fieldName, code: 'unknown_term', message, params: { code } }]);
  }
  return term;
}

/** What is asked: an offer type (with its sub-types) and/or a target group, and whose demand counts. */
export function resolveTerms(terms: readonly TermRecord[], mapping: DemandMapping, question: Question, location: FieldLocation): ResolvedTerms {
  const offerTypeTerm = findTerm(terms, 'offer_type', question.offerType, field(location, 'offerType'));
  const targetGroupTerm = findTerm(terms, 'target_group', question.targetGroup, field(location, 'targetGroup'));
  const offerTypeAncestors = offerTypeTerm ? ancestorsOf(terms, offerTypeTerm) : [];
  const targetGroupCode =
    targetGroupTerm?.code ??
    (offerTypeTerm ? targetGroupForOfferType(mapping, offerTypeTerm.code, offerTypeAncestors.map((term) => term.code)) : undefined);
  const demandDefinition = targetGroupCode ? mapping.targetGroups[targetGroupCode] : undefined;
  if (!targetGroupCode || !demandDefinition) {
    const name = targetGroupTerm ? 'targetGroup' : 'offerType';
    throw bilingualValidationError([
      {
        field: field(location, name),
        code: 'no_demand_mapping',
        message: coverageMessages.no_demand_mapping!,
        params: { code: targetGroupTerm?.code ?? offerTypeTerm?.code, known: Object.keys(mapping.targetGroups).join(', ') },
      },
    ]);
  }
  const targetGroupRecord = terms.find((term) => term.taxonomy === 'target_group' && term.code === targetGroupCode);
  return {
    offerTypeTerm,
    offerTypeAncestors,
    targetGroupTerm,
    targetGroupCode,
    targetGroupLabel: targetGroupRecord?.labelDe ?? demandDefinition.label?.de ?? targetGroupCode,
    demandDefinition,
  };
}

/** The offer type's default reach (inherited from its parent), or the target-group default. */
function defaultReachOf(offerTypeTerm: TermRecord | undefined, ancestors: readonly TermRecord[]) {
  const source = offerTypeTerm ? [offerTypeTerm, ...ancestors].find((term) => term.defaultReachKind !== null) : undefined;
  if (source?.defaultReachKind === 'walk' && source.defaultReachMeters) {
    return {
      source,
      reach: { mode: 'walk' as ReachMode, meters: source.defaultReachMeters },
      note: `Default reach of "${source.code}": ${source.defaultReachMeters} m walking distance.`,
      basis: 'offer_type_walk' as const,
    };
  }
  if (source?.defaultReachKind === 'radius' && source.defaultReachMeters) {
    return {
      source,
      reach: { mode: 'airline' as ReachMode, meters: source.defaultReachMeters },
      note: `Default reach of "${source.code}": ${source.defaultReachMeters} m airline distance.`,
      basis: 'offer_type_radius' as const,
    };
  }
  if (source?.defaultReachKind === 'area') {
    return {
      source,
      reach: areaReachFallback,
      note: `"${source.code}" serves a whole area by default; coverage is measured with the BBSR standard of 1,000 m airline distance.`,
      basis: 'offer_type_area' as const,
    };
  }
  return {
    source,
    reach: defaultTargetGroupReach,
    note: offerTypeTerm ? '' : 'No offer type given: the default is 1,000 m walking distance.',
    basis: offerTypeTerm ? ('default' as const) : ('no_offer_type' as const),
  };
}

/** Reach: asked for, else the offer type's default; the detour factor asked for, else the configured one. */
export function resolveReach(terms: ResolvedTerms, question: Question, configuredDetourFactor: number): Reach {
  const fallback = defaultReachOf(terms.offerTypeTerm, terms.offerTypeAncestors);
  const mode = question.mode ?? fallback.reach.mode;
  const meters = question.distance ?? (question.mode && question.mode !== fallback.reach.mode ? 1000 : fallback.reach.meters);
  const asked = Boolean(question.mode || question.distance);
  return {
    mode,
    meters,
    detourFactor: question.detourFactor ?? configuredDetourFactor,
    bands: question.bands ?? defaultBands(meters),
    defaultFromOfferType: !question.mode && !question.distance && Boolean(fallback.source),
    basis: asked ? 'request' : fallback.basis,
    note: asked ? `Reach set in the request: ${meters} m ${mode === 'walk' ? 'walking' : 'airline'} distance.` : fallback.note,
  };
}
