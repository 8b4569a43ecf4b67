import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { defaultDetourFactor } from './streets/walking.ts';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const proxyKeywords = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (proxyKeywords.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: "false" (0 hops), a hop count, or an address list. "true" means one hop — the
 * single reverse proxy the README describes — and no longer every hop: with "every hop" anyone
 * could choose their address by sending X-Forwarded-For and walk past the login throttle.
 */
export function parseTrustProxy(value: string): number | string[] | undefined {
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'false') return 0;
  if (lower === 'true') return 1;
  if (/^\d{1,2}$/.test(lower)) return Number(lower);
  const entries = lower.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0 || !entries.every(isProxyAddress)) return undefined;
  return entries;
}

function wholeNumber(min: number, max: number, fallback: number) {
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `may be at most ${max}`)
    .default(fallback);
}

/** A switch that is on unless set to "false". */
function onUnlessFalse() {
  return z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default('true')
    .transform((value) => value === 'true');
}

/** Milliseconds from 0 to `max` (named in words, e.g. "one minute"). */
function milliseconds(max: number, maxInWords: string, fallback: number) {
  return z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be at least 0')
    .max(max, `may be at most ${max} (${maxInWords})`)
    .default(fallback);
}

function uploadMegabytes(fallback: number) {
  return z.coerce
    .number({ error: 'must be a number of megabytes' })
    .min(0, 'must be at least 0 (0: the role may not upload)')
    .max(1024, 'may be at most 1024 (1 GB)')
    .default(fallback);
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ error: 'must be a whole number between 0 and 65535' })
    .int('must be a whole number between 0 and 65535')
    .min(0, 'must be a whole number between 0 and 65535')
    .max(65535, 'must be a whole number between 0 and 65535')
    .default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  GEODATA_DIR: z.string().trim().min(1).default('../shared/geodata-sources'),
  CITY: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a city id such as "koeln" or "berlin"')
    .default('koeln'),
  /** A city folder outside the repository (city.json, datasets/, indicators.json, coverage-demand.json). */
  CITY_DIR: optionalString,
  LOAD_DEFAULT_DATA: onUnlessFalse(),
  BASEMAP_STYLE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of a MapLibre style JSON' }).optional(),
  ),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  HOLIDAY_STATE: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter German state code such as NW or BE')
    .default('NW'),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, context) => {
      const parsed = parseTrustProxy(value);
      if (parsed === undefined) {
        context.addIssue({
          code: 'custom',
          message:
            'must be "false", a number of proxy hops (e.g. 1) or a comma-separated list of proxy addresses or subnets (e.g. "10.0.0.5, 192.168.0.0/16, loopback")',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  ADMIN_EMAIL: optionalString.pipe(z.email({ error: 'must be an e-mail address' }).optional()),
  ADMIN_PASSWORD: optionalString.pipe(
    z.string().min(12, 'must be at least 12 characters long').max(200, 'must be at most 200 characters long').optional(),
  ),
  SEARCH_INDEX: onUnlessFalse(),
  SEARCH_INDEX_CHECK_MS: milliseconds(60_000, 'one minute', 1000),
  SEARCH_INDEX_STALE_ANSWERS: onUnlessFalse(),
  SEARCH_INDEX_REBUILD_DELAY_MS: milliseconds(3_600_000, 'one hour', 0),
  SEARCH_THREADS: onUnlessFalse(),
  WALKING_DETOUR_FACTOR: z.coerce
    .number({ error: 'must be a number such as 1.3' })
    .min(1, 'must be at least 1 (a walk is never shorter than the airline)')
    .max(3, 'may be at most 3')
    .default(defaultDetourFactor),
  WORK_CONCURRENCY: wholeNumber(1, 64, 2),
  WORK_QUEUE_LIMIT: wholeNumber(0, 1000, 6),
  WORK_RETRY_AFTER_S: wholeNumber(1, 3600, 5),
  RATE_LIMIT_ANALYSIS_PER_MINUTE: wholeNumber(1, 100_000, 30),
  UPLOAD_LIMIT_MB_ADMIN: uploadMegabytes(200),
  UPLOAD_LIMIT_MB_EDITOR: uploadMegabytes(50),
  UPLOAD_LIMIT_MB_PLANNER: uploadMegabytes(0),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(0)
    .max(600_000)
    .default(10_000),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  geodataDir: string;
  city: string;
  /** CITY_DIR: the served city's folder, when it is not in GEODATA_DIR/cities/<id>/ or bundled. */
  cityDir: string | undefined;
  loadDefaultData: boolean;
  basemapStyleUrl: string | undefined;
  logLevel: (typeof logLevels)[number];
  holidayState: string;
  /**
   * Which proxies may tell the client's address and scheme (X-Forwarded-For/-Proto): a number of
   * hops counted from this server (0 = none), or the proxies' addresses and subnets. Never "every hop".
   */
  trustProxy: number | string[];
  shutdownTimeoutMs: number;
  /** The bounded queue in front of expensive routes (coverage, scenarios, gaps, imports). */
  work: { concurrency: number; maxQueued: number; retryAfterSeconds: number };
  /** Coverage requests per minute and address for anonymous visitors. */
  analysisRateLimitPerMinute: number;
  /** Largest upload (offer import file) per role, in bytes; 0: the role may not upload. */
  uploadLimits: { admin: number; editor: number; planner: number };
  /** Whether GET /api/search answers from the in-memory index (docs/search.md). */
  searchIndex: boolean;
  /** How often the index checks for changes at most: the bound on stale answers. */
  searchIndexCheckMs: number;
  /** How long a stale index answers around the changed offers before it is built anew (docs/search.md). */
  searchIndexRebuildDelayMs: number;
  /** Whether a stale index answers the searches no changed offer touches (false: SQL answers every search until the new index is in use). */
  searchIndexStaleAnswers: boolean;
  /** Walking metres per airline metre where no street network answers (search and coverage alike). */
  walkingDetourFactor: number;
  /** Whether the search's window near a place and its walks run in worker threads (server/search/search-thread.ts). */
  searchThreads: boolean;
  /** The first administrator, created on start when no administrator exists yet. */
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  clientDir: string;
  version: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export const projectRoot = path.resolve(import.meta.dirname, '..');

/** Reads the environment once. Relative paths are resolved against the project root. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        const value = environment[variable];
        const secret = variable === 'DATABASE_URL' || variable === 'ADMIN_PASSWORD';
        const shown = secret || value === undefined ? '' : ` (got "${value}")`;
        return `${variable} ${issue.message}${shown}`;
      }),
    );
  }
  const env = parsed.data;
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(projectRoot, env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    geodataDir: path.resolve(projectRoot, env.GEODATA_DIR),
    city: env.CITY,
    cityDir: env.CITY_DIR === undefined ? undefined : path.resolve(projectRoot, env.CITY_DIR),
    loadDefaultData: env.LOAD_DEFAULT_DATA,
    basemapStyleUrl: env.BASEMAP_STYLE_URL,
    logLevel: env.LOG_LEVEL,
    holidayState: env.HOLIDAY_STATE,
    trustProxy: env.TRUST_PROXY,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    work: { concurrency: env.WORK_CONCURRENCY, maxQueued: env.WORK_QUEUE_LIMIT, retryAfterSeconds: env.WORK_RETRY_AFTER_S },
    analysisRateLimitPerMinute: env.RATE_LIMIT_ANALYSIS_PER_MINUTE,
    uploadLimits: {
      admin: Math.round(env.UPLOAD_LIMIT_MB_ADMIN * 1024 * 1024),
      editor: Math.round(env.UPLOAD_LIMIT_MB_EDITOR * 1024 * 1024),
      planner: Math.round(env.UPLOAD_LIMIT_MB_PLANNER * 1024 * 1024),
    },
    searchIndex: env.SEARCH_INDEX,
    searchIndexCheckMs: env.SEARCH_INDEX_CHECK_MS,
    searchIndexRebuildDelayMs: env.SEARCH_INDEX_REBUILD_DELAY_MS,
    searchIndexStaleAnswers: env.SEARCH_INDEX_STALE_ANSWERS,
    walkingDetourFactor: env.WALKING_DETOUR_FACTOR,
    searchThreads: env.SEARCH_THREADS,
    adminEmail: env.ADMIN_EMAIL,
    adminPassword: env.ADMIN_PASSWORD,
    clientDir: path.resolve(projectRoot, 'dist/client'),
    version,
  };
}

/** The database URL with its password replaced, for logs and messages. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
