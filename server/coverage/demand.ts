import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../config.ts';

const codePattern = /^[a-z0-9][a-z0-9_.-]{0,79}$/;

export const demandMappingSchema = z.object({
  targetGroups: z.record(
    z.string().regex(codePattern),
    z.object({
      indicatorSets: z.array(z.array(z.string().regex(codePattern)).min(1)).min(1),
      /** A city's own target group (not in the taxonomy) is named by this label in the method note. */
      label: z.object({ de: z.string().min(1).max(200), en: z.string().min(1).max(200) }).optional(),
    }),
  ),
  offerTypes: z.record(z.string().regex(codePattern), z.string().regex(codePattern)),
});

export type DemandMapping = z.infer<typeof demandMappingSchema>;

export const demandMappingPath = path.join(projectRoot, 'geodata', 'coverage-demand.json');

export function loadDemandMapping(file = demandMappingPath): DemandMapping {
  const mapping = demandMappingSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  for (const [offerType, targetGroup] of Object.entries(mapping.offerTypes)) {
    if (!mapping.targetGroups[targetGroup]) {
      throw new Error(`coverage-demand.json: offer type ${offerType} names the unknown target group ${targetGroup}`);
    }
  }
  return mapping;
}

function readDemandFile(file: string): DemandMapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`${file}: cannot be read as JSON (${(error as Error).message})`);
  }
  const parsed = demandMappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * A city's demand rules (issue 13): its own coverage-demand.json, where it has one, above the
 * bundled rules (a city names only what differs, e.g. Kitas → residents 0 to under 7). Every
 * indicator the city's rules name must be declared for the city, every offer type must name a
 * target group that exists: otherwise the portal does not start, and the message names the file,
 * the rule and the code.
 */
export function loadCityDemandMapping(options: {
  cityFile: string | undefined;
  indicators: readonly { code: string }[];
  defaultsFile?: string;
}): DemandMapping {
  const defaults = loadDemandMapping(options.defaultsFile);
  if (!options.cityFile) return defaults;
  const own = readDemandFile(options.cityFile);
  const declared = new Set(options.indicators.map((indicator) => indicator.code));
  const problems: string[] = [];
  for (const [targetGroup, definition] of Object.entries(own.targetGroups)) {
    definition.indicatorSets.forEach((set, setIndex) =>
      set.forEach((code, codeIndex) => {
        if (!declared.has(code)) {
          problems.push(`targetGroups.${targetGroup}.indicatorSets.${setIndex}.${codeIndex}: the indicator "${code}" is not declared (add it to the city's indicators.json)`);
        }
      }),
    );
  }
  const merged: DemandMapping = {
    targetGroups: { ...defaults.targetGroups, ...own.targetGroups },
    offerTypes: { ...defaults.offerTypes, ...own.offerTypes },
  };
  for (const [offerType, targetGroup] of Object.entries(own.offerTypes)) {
    if (!merged.targetGroups[targetGroup]) problems.push(`offerTypes.${offerType}: names the unknown target group "${targetGroup}"`);
  }
  if (problems.length > 0) throw new Error(`${options.cityFile}: ${problems.join('; ')}`);
  return merged;
}

/**
 * The target group whose residents an offer type serves. `ancestors` lists the offer type's
 * parents, nearest first: a sub-type without its own entry inherits its parent's.
 */
export function targetGroupForOfferType(
  mapping: DemandMapping,
  offerType: string,
  ancestors: readonly string[],
): string | undefined {
  for (const code of [offerType, ...ancestors]) {
    const targetGroup = mapping.offerTypes[code];
    if (targetGroup) return targetGroup;
  }
  return undefined;
}

/** The first indicator set of the target group whose indicators all have data. */
export function chooseIndicatorSet(
  mapping: DemandMapping,
  targetGroup: string,
  available: ReadonlySet<string>,
): string[] | undefined {
  const sets = mapping.targetGroups[targetGroup]?.indicatorSets ?? [];
  return sets.find((set) => set.every((code) => available.has(code)));
}

/**
 * Addresses on one side of a street segment from its house-number range. German streets
 * number one side odd and the other even, so a range from 1 to 15 holds 8 houses.
 */
export function houseCountOfSide(from: number | null, to: number | null): number {
  if (from === null || to === null) return 0;
  return Math.floor(Math.abs(to - from) / 2) + 1;
}

export function houseCount(segment: {
  houseFromLeft: number | null;
  houseToLeft: number | null;
  houseFromRight: number | null;
  houseToRight: number | null;
}): number {
  return (
    houseCountOfSide(segment.houseFromLeft, segment.houseToLeft) +
    houseCountOfSide(segment.houseFromRight, segment.houseToRight)
  );
}

export type DemandWeighting = 'house_numbers' | 'length' | 'area';

/**
 * How an area's residents are spread over its street segments: by house-number count when
 * any segment of the area has house numbers, else by length; an area without segments
 * (or with only zero-length ones) keeps its residents at the area itself.
 */
export function spreadWeights(segments: readonly { houses: number; lengthMeters: number }[]): {
  weighting: DemandWeighting;
  shares: number[];
} {
  const houses = segments.reduce((sum, segment) => sum + segment.houses, 0);
  if (houses > 0) return { weighting: 'house_numbers', shares: segments.map((segment) => segment.houses / houses) };
  const length = segments.reduce((sum, segment) => sum + segment.lengthMeters, 0);
  if (length > 0) return { weighting: 'length', shares: segments.map((segment) => segment.lengthMeters / length) };
  return { weighting: 'area', shares: [] };
}
