import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'scratch/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Use named exports (STYLE.md).',
        },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)server/(?!.*\\.schema(\\.ts)?$)',
              message: 'The client may import only server/**/*.schema.ts (shared contracts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    ignores: ['client/map/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'maplibre-gl', message: 'Only client/map/ may import maplibre-gl.' }],
          patterns: [
            {
              regex: '(^|/)server/(?!.*\\.schema(\\.ts)?$)',
              message: 'The client may import only server/**/*.schema.ts (shared contracts).',
            },
          ],
        },
      ],
    },
  },
  // No function over ~80 lines without a reason written beside it (issue 10): a longer one carries
  // `// eslint-disable-next-line max-lines-per-function -- reason`. Functions inside a longer one
  // (a service factory's methods) are counted on their own.
  {
    files: ['server/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  // Server import zones (issue 10). A feature folder may import kernels (shared/, http/, db/, the
  // street kernel streets/) and other features only through their *.service.ts or *.schema.ts;
  // kernels import no feature. app.ts and main.ts compose everything. Folder loops are checked by
  // tests/unit/server-import-graph.test.ts, which the zones alone cannot see.
  {
    files: ['server/*/**/*.ts'],
    ignores: ['server/shared/**', 'server/http/**', 'server/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(?!(shared|http|db|streets|seeds|migrations)/)[a-z-]+/(?![a-z-]+\\.(service|schema)\\.ts$)',
              message: "Import another feature only through its *.service.ts or *.schema.ts; shared code belongs in server/shared/ (STYLE.md, issue 10).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/http/**/*.ts', 'server/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(?!(shared|http|db)/)[a-z-]+/',
              message: 'Kernels (http/, db/) import no feature folder; pass what they need in (issue 10).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'server/shared/ is the innermost kernel: it imports nothing else of the server.' }] },
      ],
    },
  },
  {
    files: ['**/*.d.ts', 'tests/helpers/global-setup.ts', 'tests/helpers/e2e-setup.ts', 'vite.config.ts', 'vitest.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
