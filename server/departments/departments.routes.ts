import { Router } from 'express';
import { actorOf } from '../http/auth.ts';
import { parseRequest } from '../http/parse-request.ts';
import { createDepartmentSchema, departmentMessages } from './departments.schema.ts';
import type { DepartmentsService } from './departments.service.ts';

export function createDepartmentsRouter(deps: { departments: DepartmentsService }): Router {
  const router = Router();
  router.get('/api/departments', async (request, response) => {
    response.json({ items: await deps.departments.list(actorOf(request)) });
  });
  router.post('/api/departments', async (request, response) => {
    const input = parseRequest(request, createDepartmentSchema, 'body', departmentMessages);
    const department = await deps.departments.create(actorOf(request), input, String(request.id ?? ''));
    response.status(201).location(`/api/departments`).json(department);
  });
  return router;
}
