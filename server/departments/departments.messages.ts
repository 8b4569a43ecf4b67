import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the departments (POST /api/departments, the CLI's department create), German first. */
export const departmentMessages: MessageCatalogue = {
  'format.code': {
    de: 'Muss aus 1 bis 40 Buchstaben, Ziffern, „.“, „_“ oder „-“ bestehen und mit einem Buchstaben oder einer Ziffer beginnen.',
    en: 'Must be 1–40 letters, digits, ".", "_" or "-", starting with a letter or digit.',
  },
};
