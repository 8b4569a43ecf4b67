import { ensureClientBuilt } from './client-build.ts';

/** Browser tests drive the built client: make sure it matches the sources once per run. */
export default function setup(): void {
  ensureClientBuilt();
}
