import { Router } from 'express';
import type { Database } from '../db/connect.ts';
import type { PingResult } from '../db/pglite-thread.ts';
import { readDatabaseVersions, type DatabaseVersions } from '../db/connect.ts';
import { actorOf } from '../http/auth.ts';
import { ServiceUnavailableError } from '../http/errors.ts';

const healthTimeoutMs = 3000;

/**
 * Liveness for load balancers and monitors. Exact PostgreSQL/PostGIS versions help an attacker
 * pick a known flaw, so only administrators see them (docs/security.md, V14); everyone else
 * learns that the database answers and which kind it is.
 */
export function createHealthRouter(deps: { database: Database; version: string }): Router {
  const router = Router();
  // The versions do not change while the server runs. Where the database can be pinged without a
  // session (the embedded one in its thread), the check does not queue behind a long import: a
  // thread that is running a statement says so at once ("busy", in the answer), see PgliteThread.ping.
  let known: DatabaseVersions | undefined;
  const check = async (): Promise<{ versions: DatabaseVersions; ping?: PingResult }> => {
    const { database } = deps;
    if (known && database.ping) return { versions: known, ping: await database.ping() };
    known = await readDatabaseVersions(database.knex);
    return { versions: known };
  };
  router.get('/api/health', async (request, response) => {
    let timer: NodeJS.Timeout | undefined;
    const actor = actorOf(request);
    const isAdmin = actor.kind === 'user' && actor.role === 'admin';
    try {
      const { versions, ping } = await Promise.race([
        check(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('health check timed out')), healthTimeoutMs);
        }),
      ]);
      const busy = ping?.state === 'busy' ? { state: 'busy', busyForMs: ping.busyForMs } : {};
      response.set('Cache-Control', 'no-store').json({
        status: 'ok',
        database: isAdmin
          ? { backend: deps.database.backend, postgres: versions.postgres, postgis: versions.postgis, ...busy }
          : { backend: deps.database.backend, ...busy },
        version: deps.version,
      });
    } catch {
      throw new ServiceUnavailableError('The database does not answer.', 'database_unavailable');
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
