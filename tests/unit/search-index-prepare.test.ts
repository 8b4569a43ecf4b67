import { describe, expect, it } from 'vitest';
import { syntheticSearchIndexRows } from '../../bench/search-index-build.ts';
import { AppError } from '../../server/http/errors.ts';
import { buildSearchIndex, type IndexFilter, type SearchIndex } from '../../server/search/search-index.ts';
import { createIndexPreparer } from '../../server/search/search-prepare.ts';
import { noFilter } from '../../server/search/search.repo.ts';

// A filter the index has not seen costs its selection once: every point's columns tested (and its
// rows by name without a place). That work now comes as steps (`SearchIndex.prepare`), which the
// search runs in slices between other requests, one new filter at a time (search-prepare.ts).

const term = (number: number) => `00000000-0000-4000-9000-${number.toString(16).padStart(12, '0')}`;
const place = { lon: 6.95, lat: 50.94 };

/** Runs the steps to their end; returns how often they paused. */
function pausesOf(steps: Generator<void, void, void>): number {
  let pauses = 0;
  while (!steps.next().done) pauses += 1;
  return pauses;
}

/** What the index answers for a filter: near the place (page and nearest) and by name. */
function answersOf(index: SearchIndex, filter: IndexFilter) {
  const near = { ...filter, origin: place, radiusMeters: 3000 };
  const page = index.query(near, { limit: 20, offset: 10 });
  const nearest = index.nearest(near, 50);
  return {
    total: page.total,
    ids: page.rows.map((row) => row.id),
    distances: page.distances,
    nearest: [...nearest.ordinals],
    byName: [...index.matchesByName(filter)],
  };
}

const filters: IndexFilter[] = [
  { ...noFilter, targetGroupIds: [term(3)] },
  { ...noFilter, offerTypeIds: ['offer-type-2', 'offer-type-9'], free: true },
  { ...noFilter, languages: ['tr'], age: 65 },
  { ...noFilter, openingHoursIn: ['Sa 10:00-14:00'], targetGroupIds: [term(7), term(21)] },
];

describe('a new filter prepared in steps', () => {
  it('pauses while it works, then answers as the filter made at once, and keeps what it made', () => {
    // Two indexes of the same rows: one prepares each filter in steps, the other makes it at once.
    const stepped = buildSearchIndex(syntheticSearchIndexRows(40_000, 3), 1);
    const direct = buildSearchIndex(syntheticSearchIndexRows(40_000, 3), 1);
    for (const filter of filters) {
      const steps = stepped.prepare(filter, { byName: true });
      expect(steps).not.toBeNull();
      // 40,000 points tested a few thousand at a time, then their rows by name.
      expect(pausesOf(steps!)).toBeGreaterThanOrEqual(4);
      expect(stepped.prepare(filter, { byName: true })).toBeNull();
      const answers = answersOf(stepped, filter);
      expect(answers.total).toBeGreaterThan(0);
      expect(answers.byName.length).toBeGreaterThan(answers.total);
      expect(answers).toEqual(answersOf(direct, filter));
    }
  });

  it('prepares the rows by name when they are wanted later, and nothing without a filter or for an unknown code', () => {
    const index = buildSearchIndex(syntheticSearchIndexRows(20_000, 4), 1);
    const filter = filters[0]!;
    pausesOf(index.prepare(filter, { byName: false })!);
    expect(index.prepare(filter, { byName: false })).toBeNull();
    const byName = index.prepare(filter, { byName: true });
    expect(byName).not.toBeNull();
    pausesOf(byName!);
    expect(index.prepare(filter, { byName: true })).toBeNull();
    const ordinals = [...index.matchesByName(filter)];
    expect(ordinals).toEqual([...ordinals].sort((a, b) => a - b));
    expect(index.prepare(noFilter, { byName: true })).toBeNull();
    // An unknown code matches nothing: prepared once (nothing to order by name), then kept.
    const unknown = { ...noFilter, targetGroupIds: ['unknown'] };
    pausesOf(index.prepare(unknown, { byName: true })!);
    expect(index.prepare(unknown, { byName: true })).toBeNull();
    expect(index.matchesByName(unknown)).toHaveLength(0);
  });

  it('keeps the first of two callers that prepared the same filter at the same time', () => {
    const index = buildSearchIndex(syntheticSearchIndexRows(20_000, 5), 1);
    const filter = filters[1]!;
    const first = index.prepare(filter, { byName: false })!;
    const second = index.prepare(filter, { byName: false })!;
    // Interleaved, as two requests' slices run.
    let firstDone = false;
    let secondDone = false;
    while (!firstDone || !secondDone) {
      if (!firstDone) firstDone = first.next().done === true;
      if (!secondDone) secondDone = second.next().done === true;
    }
    expect(index.prepare(filter, { byName: false })).toBeNull();
    const direct = buildSearchIndex(syntheticSearchIndexRows(20_000, 5), 1);
    expect(answersOf(index, filter)).toEqual(answersOf(direct, filter));
  });

  it('tells a filter from the one asked before it by every value, also when the two share their lists', () => {
    const index = buildSearchIndex(syntheticSearchIndexRows(20_000, 8), 1);
    // One filter's lists, shared by every variant below (as a search's copies of its filter share them).
    const base = { ...noFilter, languages: ['tr'], targetGroupIds: [term(0), term(1), term(2), term(3), term(4), term(5), term(6), term(7)] };
    // Each differs from the one before it in one value only.
    const variants: IndexFilter[] = [base, { ...base, age: 50 }, { ...base, free: true, age: 50 }, { ...base, free: true }, base, { ...base }];
    // Each variant's answers from an index that has seen no other filter.
    const alone = variants.map((filter) => answersOf(buildSearchIndex(syntheticSearchIndexRows(20_000, 8), 1), filter));
    variants.forEach((filter, position) => {
      // Asked right after the one before it, prepared first or not.
      const steps = position % 2 === 0 ? index.prepare(filter, { byName: true }) : null;
      if (steps) pausesOf(steps);
      expect(answersOf(index, filter)).toEqual(alone[position]);
    });
    expect(new Set(alone.slice(0, 4).map((answers) => answers.byName.length)).size).toBe(4);
  });
});

describe('the search preparing new filters', () => {
  it('prepares one new filter at a time, lets one wait, refuses a further one with 503 server_busy', async () => {
    const index = buildSearchIndex(syntheticSearchIndexRows(40_000, 6), 1);
    const prepare = createIndexPreparer({ concurrency: 1, maxWaiting: 1 });
    const outcomes = await Promise.allSettled(filters.slice(0, 3).map((filter) => prepare(index, filter, { byName: true })));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = (outcomes[2] as PromiseRejectedResult).reason as AppError;
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('server_busy');
    expect(refused.extra).toMatchObject({ retryAfter: 2 });
    expect(refused.translations?.de.detail).toContain('Suchfilter');
    expect(index.prepare(filters[0]!, { byName: true })).toBeNull();
    expect(index.prepare(filters[1]!, { byName: true })).toBeNull();
    // The refused filter was not made; there is room again now, and a kept filter takes no turn.
    expect(index.prepare(filters[2]!, { byName: true })).not.toBeNull();
    await Promise.all([prepare(index, filters[2]!, { byName: true }), prepare(index, filters[0]!, { byName: true }), prepare(index, filters[1]!, { byName: true })]);
    expect(index.prepare(filters[2]!, { byName: true })).toBeNull();
  });

  it('works on a new filter over 200,000 offers in small steps, each a small part of the whole', { timeout: 120_000 }, () => {
    const index = buildSearchIndex(syntheticSearchIndexRows(200_000, 7), 1);
    // Three new filters, each timed step by step: the whole takes ≈ 15 ms here, so one garbage
    // collection or a busy neighbour during a step can make that step look big. The least disturbed
    // of the three runs is the one compared (the steps are the same code each time).
    const runs = [9, 10, 11].map((number) => {
      const steps = index.prepare({ ...noFilter, languages: ['tr'], targetGroupIds: [term(number)] }, { byName: true })!;
      const durations: number[] = [];
      for (;;) {
        const started = performance.now();
        const step = steps.next();
        durations.push(performance.now() - started);
        if (step.done) break;
      }
      return { steps: durations.length, largestShare: Math.max(...durations) / durations.reduce((sum, ms) => sum + ms, 0) };
    });
    // 200,000 points tested and their rows marked and read by name, a few thousand at a time:
    // `runInSlices` gives the event loop back between the steps once a slice has taken 10 ms.
    // The first step also makes the filter's masks (and runs code not yet optimized).
    for (const run of runs) expect(run.steps).toBeGreaterThanOrEqual(25);
    expect(Math.min(...runs.map((run) => run.largestShare))).toBeLessThan(1 / 2);
  });
});
