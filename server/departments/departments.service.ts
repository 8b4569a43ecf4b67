import type { Knex } from 'knex';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/auth.schema.ts';
import { ConflictError, ForbiddenError, UnauthorizedError } from '../http/errors.ts';
import { fillMessage, inBothLanguages } from '../http/localized-validation.ts';
import { findDepartmentByCode, insertDepartment, insertMissingDepartments, listDepartments } from './departments.repo.ts';
import { departmentMessages, type CreateDepartmentInput, type Department } from './departments.schema.ts';

export interface DepartmentsService {
  /** Anonymous callers get the number of public offers per department; staff get every offer. */
  list(actor: Actor | 'command-line'): Promise<Department[]>;
  /** `command-line`: an administrator at the server's shell (npm run cli). */
  create(actor: Actor | 'command-line', input: CreateDepartmentInput, requestId?: string): Promise<Department>;
  /** Start-up: the city profile's departments exist afterwards. */
  ensure(departments: readonly { code: string; name: string }[]): Promise<number>;
}

/** `cityId`: the city this process serves (issue 13); without it, the database's default city. */
export function createDepartmentsService(deps: { db: Knex; audit: AuditService; cityId?: string }): DepartmentsService {
  return {
    list: (actor) => listDepartments(deps.db, { publicOnly: actor !== 'command-line' && actor.kind === 'anonymous', cityId: deps.cityId }),
    async create(actor, input, requestId) {
      if (actor !== 'command-line') {
        if (actor.kind !== 'user') throw new UnauthorizedError();
        if (actor.role !== 'admin') {
          throw inBothLanguages(new ForbiddenError(departmentMessages.admin_only!.en, 'admin_only'), departmentMessages.admin_only!);
        }
      }
      const auditActor = actor === 'command-line' ? { id: null, label: 'command line' } : { id: actor.id, label: actor.email };
      return deps.db.transaction(async (trx) => {
        const existing = await findDepartmentByCode(trx, input.code, deps.cityId);
        if (existing) {
          const message = departmentMessages.duplicate_department!;
          throw inBothLanguages(new ConflictError(fillMessage(message, 'en', { code: input.code }), 'duplicate_department'), message, { code: input.code });
        }
        const department = await insertDepartment(trx, input, deps.cityId);
        await deps.audit.record(trx, {
          actor: auditActor,
          action: 'department.create',
          entityType: 'department',
          entityId: department.id,
          entityVersion: null,
          before: null,
          after: { code: department.code, name: department.name, email: department.email, phone: department.phone },
          requestId,
        });
        return department;
      });
    },
    ensure: (departments) => insertMissingDepartments(deps.db, departments, deps.cityId),
  };
}
