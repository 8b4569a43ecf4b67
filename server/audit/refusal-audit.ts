import type { ErrorRequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { AppError } from '../http/errors.ts';
import type { AuditService } from './audit.service.ts';

/**
 * Every refused access (403: wrong role, other department, missing CSRF token) becomes an audit
 * event before the problem+json answer goes out: a pattern of refusals is how misuse of a staff
 * account shows. The audit write must never replace the answer, so its own failure is only logged.
 */
export function createRefusalAudit(deps: { audit: AuditService; db: Knex; logger: Logger }): ErrorRequestHandler {
  return async (error: unknown, request, _response, next) => {
    if (error instanceof AppError && error.status === 403) {
      const user = request.auth?.user;
      try {
        await deps.audit.record(deps.db, {
          actor: user ? { id: user.id, label: user.email } : { id: null, label: 'anonymous' },
          action: 'access.refused',
          entityType: 'request',
          // The route pattern would be nicer, but the path is what was asked for; capped to the column.
          entityId: `${request.method} ${request.path}`.slice(0, 80),
          entityVersion: null,
          requestId: String(request.id ?? '') || undefined,
          before: null,
          after: { status: 403, code: error.code },
          details: { address: request.ip ?? null },
        });
      } catch (auditError) {
        (request.log ?? deps.logger).error({ err: auditError }, 'could not record a refused access in the audit log');
      }
    }
    next(error);
  };
}
