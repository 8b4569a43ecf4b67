import { z } from 'zod';
import type { MessageCatalogue } from '../http/localized-validation.ts';

export const departmentCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/);

// Messages: departmentMessages below.
export const createDepartmentSchema = z.strictObject({
  code: departmentCodeSchema,
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
});
export type CreateDepartmentInput = z.infer<typeof createDepartmentSchema>;

/** Messages of the departments (POST /api/departments, the CLI's department create), German first. */
export const departmentMessages: MessageCatalogue = {
  admin_only: { de: 'Nur Administratorinnen und Administratoren dürfen Dienststellen anlegen.', en: 'Only administrators may create departments.' },
  duplicate_department: { de: 'Es gibt schon eine Dienststelle mit dem Kürzel „{code}“.', en: 'A department with the code "{code}" already exists.' },
  'format.code': {
    de: 'Muss aus 1 bis 40 Buchstaben, Ziffern, „.“, „_“ oder „-“ bestehen und mit einem Buchstaben oder einer Ziffer beginnen.',
    en: 'Must be 1–40 letters, digits, ".", "_" or "-", starting with a letter or digit.',
  },
};

export interface Department {
  id: string;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  offerCount: number;
}
