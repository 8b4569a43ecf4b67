import { z } from 'zod';

export const departmentCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be 1–40 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const createDepartmentSchema = z.strictObject({
  code: departmentCodeSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  email: z.email('must be an e-mail address').max(254).optional(),
  phone: z.string().trim().max(40, 'must be at most 40 characters').optional(),
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
