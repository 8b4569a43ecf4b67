import path from 'node:path';

// What the A/B benches share (search-ab.ts, search-index-load-stalls.ts): the checkouts named on
// the command line, the benchmark database of bench/search-load.ts, and the turn of the trees.

/** The checkouts named by `--tree name=directory` (at least two). */
export function benchTrees(args: readonly string[] = process.argv.slice(2)): Array<{ name: string; dir: string }> {
  const trees = args.flatMap((arg, index) => (arg === '--tree' ? [args[index + 1]!] : [])).map((spec) => {
    const [name, dir] = spec.split('=');
    if (!name || !dir) throw new Error(`--tree takes name=directory, not "${spec}"`);
    return { name, dir: path.resolve(dir) };
  });
  if (trees.length < 2) throw new Error('name at least two trees: --tree old=/path --tree new=.');
  return trees;
}

/** DATABASE_URL pointed at the database "angebotsatlas_bench_search_<count>" that bench/search-load.ts creates. */
export function benchSearchDatabaseUrl(count: number): string {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL (PostgreSQL) is required: the trees share its benchmark database');
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/angebotsatlas_bench_search_${count}`;
  return url.toString();
}

/** The tree order of a round: turned by one each round, so that no tree always runs first. */
export function orderOf<T>(items: readonly T[], round: number): T[] {
  return items.map((_, index) => items[(index + round) % items.length]!);
}
