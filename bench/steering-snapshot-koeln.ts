/**
 * Monthly snapshot benchmark on the real Cologne data: 50 adopted goals, each over all 86
 * Stadtteile, snapshotted in one run (the work the server does on the first of each month).
 *
 *   npx tsx bench/steering-snapshot-koeln.ts                             embedded PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/steering-snapshot-koeln.ts   PostgreSQL (an empty database)
 *
 * Two mixes: "planning" (20 coverage goals on 10 distinct questions, 20 statistics, 10 process
 * figures) and "worst case" (50 coverage goals, each a different question: no two share a
 * computation). For each mix the coverage part is timed both ways in one run, interleaved:
 *   A = CoverageService.coverageMany (the full coverage answer per question: nearest distances,
 *       E2SFCA catchments, medians, for every distance anew) — the snapshot's path until 2026-12-03;
 *   B = CoverageService.coverageFigures (the reach figures only; questions that differ only in
 *       distance share one nearest-distance computation) — the snapshot's path now;
 * checks that A and B give the same per-area figures, then times the whole snapshot (B).
 * Prints the figures; docs/benchmarks.md keeps them. Not a test: no limits enforced.
 */
import { createAuditService } from '../server/audit/audit.service.ts';
import { createDepartmentsService } from '../server/departments/departments.service.ts';
import { createOrganizationsService } from '../server/organizations/organizations.service.ts';
import type { Actor } from '../server/auth/auth.schema.ts';
import { hashPassword } from '../server/auth/auth.service.ts';
import { loadConfig } from '../server/config.ts';
import { createCoverageService } from '../server/coverage/coverage.service.ts';
import { createDatasetsService } from '../server/datasets/datasets.service.ts';
import { connectDatabase, readDatabaseVersions } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createOffersService } from '../server/offers/offers.service.ts';
import { coverageQuestion } from '../server/steering/steering.figures.ts';
import type { KeyFigure } from '../server/steering/steering.schema.ts';
import { createSteeringService } from '../server/steering/steering.service.ts';
import { goalCreateSchema } from '../server/steering/steering.schema.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { loadKoeln } from './coverage-koeln-data.ts';

const offerTypes = ['senior_meeting_place', 'kita', 'pharmacy', 'doctor', 'care_home', 'youth_centre', 'community_centre', 'library', 'hospital', 'social_facility'];
const statistics = ['population_65_75', 'population_75_plus', 'population_0_3', 'population_3_6', 'population_total'];

async function main(): Promise<void> {
  const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL });
  const versions = await readDatabaseVersions(database.knex);
  console.log(`backend ${database.backend}: PostgreSQL ${versions.postgres}, PostGIS ${versions.postgis}`);
  let started = performance.now();
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  await loadKoeln(database);
  console.log(`setup (migrate, seed, import Cologne) ${(performance.now() - started).toFixed(0)} ms`);

  const knex = database.knex;
  const [department] = (await knex('departments').insert({ code: 'bench-50', name: 'Amt für Soziales' }).onConflict('code').merge().returning(['id', 'code'])) as { id: string; code: string }[];
  const [user] = (await knex('users').insert({ email: 'bench-planner@example.org', password_hash: await hashPassword('bench planner password'), role: 'planner' }).returning('id')) as { id: string }[];
  const planner: Actor = { kind: 'user', id: user!.id, email: 'bench-planner@example.org', displayName: null, role: 'planner', departmentId: null, departmentCode: null };
  const context = { actor: planner, language: 'de' as const };
  const areaIds = (await knex('areas').where({ level: 'sozialraum' }).pluck('id')) as string[];
  const known = new Set((await knex('taxonomy_terms').where({ taxonomy: 'offer_type' }).pluck('code')) as string[]);
  const types = offerTypes.filter((code) => known.has(code));

  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const audit = createAuditService({ db: knex });
  const taxonomies = createTaxonomiesService({ db: knex });
  let now = new Date('2026-12-01T00:00:00Z');
  const coverage = createCoverageService({ db: knex, taxonomies });
  const steering = createSteeringService({
    db: knex,
    audit,
    taxonomies,
    coverage,
    offers: createOffersService({ db: knex, audit, taxonomies, departments: createDepartmentsService({ db: knex, audit }), organizations: createOrganizationsService({ db: knex, audit }), datasets: createDatasetsService({ geodataDir: config.geodataDir, city: 'koeln' }), holidayState: 'NW' }),
    clock: () => now,
  });

  const rounds = Number(process.env.ROUNDS ?? 3);
  const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;

  /** A and B interleaved on the coverage questions of the adopted goals; checks both agree per area. */
  async function compareCoveragePaths(label: string): Promise<void> {
    const figures = (await knex('steering_goals').where({ status: 'adopted' }).pluck('key_figure')) as KeyFigure[];
    const questions = new Map<string, ReturnType<typeof coverageQuestion>>();
    for (const figure of figures) if (figure.kind === 'coverage') questions.set(JSON.stringify(coverageQuestion(figure)), coverageQuestion(figure));
    const list = [...questions.values()];
    const times = { a: [] as number[], b: [] as number[] };
    let worstDifference = 0;
    for (let round = 0; round < rounds; round++) {
      let started = performance.now();
      const a = await coverage.coverageMany(list);
      times.a.push(performance.now() - started);
      started = performance.now();
      const b = await coverage.coverageFigures(list);
      times.b.push(performance.now() - started);
      a.forEach((result, index) => {
        result.areas.forEach((row, rowIndex) => {
          const other = b[index]!.areas[rowIndex]!;
          if (other.areaId !== row.areaId || other.offers !== row.offers) throw new Error(`A and B differ for ${JSON.stringify(list[index])} in ${row.name}`);
          worstDifference = Math.max(worstDifference, Math.abs(other.coveredPopulation - row.coveredPopulation), Math.abs(other.targetPopulation - row.targetPopulation));
        });
      });
    }
    console.log(
      `${label}: ${list.length} distinct coverage questions, coverage part A (coverageMany) median ${median(times.a).toFixed(0)} ms [${times.a.map((time) => time.toFixed(0)).join(', ')}], ` +
        `B (coverageFigures) median ${median(times.b).toFixed(0)} ms [${times.b.map((time) => time.toFixed(0)).join(', ')}]; largest per-area difference ${worstDifference.toExponential(1)} residents`,
    );
  }

  async function goal(index: number, keyFigure: object, baseline: number, target: number): Promise<void> {
    const created = await steering.createGoal(context, goalCreateSchema.parse({
      fieldOfAction: ['income', 'employment', 'housing', 'health', 'environment', 'participation'][index % 6],
      title: `Ziel ${index + 1}`,
      scope: 'areas',
      areaIds,
      keyFigure,
      baseline: { value: baseline, date: '2026-01-01' },
      target: { value: target, deadline: '2029-12-31' },
      ownerDepartmentCode: department!.code,
    }));
    await knex('steering_goals').where({ id: created.id }).update({ status: 'adopted' });
  }

  // Mix 1: what a planning department would set.
  for (let index = 0; index < 20; index++) {
    await goal(index, { kind: 'coverage', measure: 'share_within_reach', offerType: types[index % types.length], distance: index < 10 ? 500 : 1000 }, 10, 80);
  }
  for (let index = 20; index < 40; index++) await goal(index, { kind: 'statistic', indicator: statistics[index % statistics.length] }, 1000, 2000);
  for (let index = 40; index < 50; index++) await goal(index, { kind: 'process', label: 'Beratungen', unit: 'count' }, 10, 20);
  started = performance.now();
  await coverage.coverage({ offerType: types[0]! }, 'body');
  console.log(`street graph and model built (cold) ${(performance.now() - started).toFixed(0)} ms`);
  await compareCoveragePaths('planning mix');
  started = performance.now();
  const planning = await steering.takeSnapshots('command_line');
  console.log(`planning mix: ${planning.taken} goals × ${areaIds.length} areas, snapshot ${(performance.now() - started).toFixed(0)} ms (service reports ${planning.milliseconds} ms)`);

  // Mix 2: every goal its own coverage question.
  await knex('steering_goals').update({ status: 'dropped' });
  for (let index = 0; index < 50; index++) {
    await goal(100 + index, { kind: 'coverage', measure: 'share_within_reach', offerType: types[index % types.length], distance: 300 + 50 * index }, 10, 80);
  }
  now = new Date('2027-01-01T00:00:00Z');
  await compareCoveragePaths('worst case');
  started = performance.now();
  const worst = await steering.takeSnapshots('command_line');
  console.log(`worst case: ${worst.taken} goals × ${areaIds.length} areas, 50 distinct coverage questions, snapshot ${(performance.now() - started).toFixed(0)} ms`);
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
