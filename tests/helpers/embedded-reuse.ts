import { databaseClosedError, type PgliteThread } from '../../server/db/pglite-thread.ts';

// One embedded database per test worker, handed from test file to test file (the projects run
// with `isolate: false`, so this module lives as long as the worker). Opening PGlite with PostGIS
// from the template costs 3–4 s of CPU and about 10 s of a file's time when two workers open at
// once; putting a used one back to the template's state costs a few hundred milliseconds.
//
// A database goes back only when its schema is the template's (the fingerprint below: tables,
// columns, constraints, indexes, triggers, functions, views, sequences, extensions); a file that
// renamed a table or left a transaction open gets a fresh one next time. Its data is then made the
// template's: every table emptied, the template's rows written back (with triggers and foreign keys
// off: they were checked when the template was made) and every sequence set as in the template.

const fingerprintSql = `
  select md5(string_agg(line, E'\\n' order by line)) as fingerprint from (
    select 'namespace ' || nspname as line from pg_namespace where nspname not like 'pg\\_temp\\_%' and nspname not like 'pg\\_toast\\_temp\\_%'
    union all select 'extension ' || extname || ' ' || extversion from pg_extension
    union all select 'relation ' || c.oid::regclass::text || ' ' || c.relkind::text || ' ' || c.relpersistence::text
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%'
    union all select 'column ' || a.attrelid::regclass::text || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        || ' ' || a.attnotnull::text || ' ' || a.attgenerated::text || ' ' || a.attidentity::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname = 'public' and a.attnum > 0 and not a.attisdropped
    union all select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      from pg_constraint where connamespace = 'public'::regnamespace
    union all select 'index ' || indexdef from pg_indexes where schemaname = 'public'
    union all select 'trigger ' || pg_get_triggerdef(oid) || ' ' || tgenabled::text from pg_trigger where not tgisinternal
    union all select 'function ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, ''))
      from pg_proc p where p.pronamespace = 'public'::regnamespace
    union all select 'view ' || c.oid::regclass::text || ' ' || md5(pg_get_viewdef(c.oid))
      from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('v', 'm')
    union all select 'setting ' || coalesce(array_to_string(setconfig, ','), '') from pg_db_role_setting
    union all select 'type ' || t.oid::regtype::text from pg_type t where t.typnamespace = 'public'::regnamespace
    union all select 'spatial_ref_sys ' || count(*) from spatial_ref_sys
  ) as lines`;

interface TemplateState {
  fingerprint: string;
  /** Every table of the schema but PostGIS's spatial_ref_sys, which no test writes. */
  tables: string[];
  /** The rows of the tables that have any, in PostgreSQL's text form, with the columns that can be written. */
  rows: Array<{ table: string; columns: string[]; values: string[] }>;
  sequences: Array<{ name: string; lastValue: string; isCalled: boolean }>;
}

let templateState: TemplateState | undefined;
/** The database the last file gave back, reset to the template's state. */
let spare: PgliteThread | undefined;
let opened = 0;

/** How many databases this worker has opened from the template (the rest were handed on). */
export function embeddedDatabasesOpened(): number {
  return opened;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function rowsOf<T>(instance: PgliteThread, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await instance.query<T>(sql, params)).rows;
}

async function fingerprintOf(instance: PgliteThread): Promise<string> {
  const [row] = await rowsOf<{ fingerprint: string }>(instance, fingerprintSql);
  return row!.fingerprint;
}

/** Reads what a database straight from the template holds (once per worker). */
async function readTemplateState(instance: PgliteThread): Promise<TemplateState> {
  const tables = (
    await rowsOf<{ name: string }>(
      instance,
      `select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p')
          and relname <> 'spatial_ref_sys' order by relname`,
    )
  ).map((row) => row.name);
  const rows: TemplateState['rows'] = [];
  for (const table of tables) {
    const columns = (
      await rowsOf<{ name: string }>(
        instance,
        `select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped
            and attgenerated = '' order by attnum`,
        [quote(table)],
      )
    ).map((row) => row.name);
    const [row] = await rowsOf<{ values: string[] }>(instance, `select coalesce(array_agg(t::text), '{}') as values from ${quote(table)} t`);
    if (row && row.values.length > 0) rows.push({ table, columns, values: row.values });
  }
  const sequences = (
    await rowsOf<{ name: string; last_value: string; is_called: boolean }>(
      instance,
      `select quote_ident(sequencename) as name, coalesce(last_value, start_value)::text as last_value, last_value is not null as is_called
         from pg_sequences where schemaname = 'public'`,
    )
  ).map((row) => ({ name: row.name, lastValue: row.last_value, isCalled: row.is_called }));
  return { fingerprint: await fingerprintOf(instance), tables, rows, sequences };
}

/**
 * A database in the template's state for one test file: the worker's spare if it has one, else a
 * new one from `open`. The file gets a lease with the database's interface; closing the lease
 * (knex does it when destroyed) revokes it and gives the database back. Whatever of the file is
 * still running afterwards (a timer, an app's background check) gets "closed" errors and cannot
 * reach the next file's data.
 */
export async function leaseEmbeddedDatabase(open: () => Promise<PgliteThread>): Promise<PgliteThread> {
  let instance = spare;
  spare = undefined;
  if (!instance) {
    instance = await open();
    opened += 1;
    templateState ??= await readTemplateState(instance);
  }
  const database = instance;
  let revoked: Promise<void> | undefined;
  const closedError = () => Promise.reject(databaseClosedError());
  const lease = {
    waitReady: database.waitReady,
    get closed() {
      return revoked !== undefined || database.closed;
    },
    query: ((...args: Parameters<PgliteThread['query']>) => (revoked ? closedError() : database.query(...args))) as PgliteThread['query'],
    exec: (...args: Parameters<PgliteThread['exec']>) => (revoked ? closedError() : database.exec(...args)),
    ping: () => (revoked ? closedError() : database.ping()),
    dumpDataDir: (...args: Parameters<PgliteThread['dumpDataDir']>) => (revoked ? closedError() : database.dumpDataDir(...args)),
    close: () => (revoked ??= giveBack(database)),
  };
  return lease as unknown as PgliteThread;
}

/**
 * Puts a database a test file is done with back to the template's state and keeps it for the next
 * file, or closes it when that cannot be done safely (closed, schema changed, a transaction left
 * open, a spare already kept).
 */
async function giveBack(instance: PgliteThread): Promise<void> {
  if (instance.closed) return;
  const state = templateState;
  if (spare || !state) {
    await instance.close();
    return;
  }
  try {
    // Session state a file may have left: settings, prepared statements, temporary tables, locks.
    // DISCARD ALL fails inside a transaction block, so a file that left one open ends here.
    await instance.exec('discard all');
    if ((await fingerprintOf(instance)) !== state.fingerprint) throw new Error('the schema is not the template’s');
    await instance.exec(
      ['begin', "set local session_replication_role = 'replica'", `truncate ${state.tables.map(quote).join(', ')} restart identity`].join(';\n'),
    );
    for (const { table, columns, values } of state.rows) {
      await instance.query(
        `insert into ${quote(table)} (${columns.map(quote).join(', ')}) overriding system value
           select ${columns.map((column) => `(row).${quote(column)}`).join(', ')} from (select text::${quote(table)} as row from unnest($1::text[]) as text) as rows`,
        [values],
      );
    }
    for (const { name, lastValue, isCalled } of state.sequences) {
      await instance.query(`select setval($1::regclass, $2::bigint, $3)`, [name, lastValue, isCalled]);
    }
    await instance.exec('commit');
    spare = instance;
  } catch {
    await instance.close();
  }
}
