import { z } from 'zod';

export const departmentCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/);

// Messages: departments.messages.ts.
export const createDepartmentSchema = z.strictObject({
  code: departmentCodeSchema,
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
});
export type CreateDepartmentInput = z.infer<typeof createDepartmentSchema>;

export interface Department {
  id: string;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  offerCount: number;
}
