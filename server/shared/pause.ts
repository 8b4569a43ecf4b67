/**
 * A long loop on the request thread calls this once per item: every `every` items it lets the
 * event loop answer what is waiting (a health check, a search) before it goes on. Validating a
 * 20,000-row import took seconds in one piece (docs/benchmarks.md, "Load").
 */
export function createPause(every = 200): () => Promise<void> | undefined {
  let count = 0;
  return () => {
    count += 1;
    if (count % every !== 0) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
}
