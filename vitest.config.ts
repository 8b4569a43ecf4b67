import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
          // Vitest's default is one worker less than the cores: one on a machine of two, where two
          // ran the unit tests in 27 s against 45 s (most of a file's time is importing it).
          maxWorkers: Math.max(2, os.availableParallelism() - 1),
        },
      },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 1 },
          globalSetup: ['tests/helpers/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 2,
          // A worker runs file after file: the modules are imported once and the embedded database
          // is handed on (tests/helpers/embedded-reuse.ts) instead of opened for every file.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          // One file at a time: the browser tests keep both cores busy (software WebGL), and
          // tests/e2e/offers-map-tiles.test.ts measures frame times. Two at once were 10 % faster
          // in all (633 s against about 690 s) and each file 1.5–1.7 times slower.
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 2 },
          globalSetup: ['tests/helpers/e2e-setup.ts', 'tests/helpers/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
