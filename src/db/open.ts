// Opens the database: PostgreSQL through `pg` when a URL is given, otherwise the embedded
// PGlite in a data folder. Both get the same type parsing, so the rest of Tally cannot tell.
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { AnswerLost, isDatabaseUnavailable, lostAnswer } from './errors.js';
import type { Database } from './schema.js';

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/** Money is bigint minor units: int8 must never become a float. Dates stay calendar dates. */
const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: (value) => BigInt(value),
  [DATE]: (value) => value,
  [NUMERIC]: (value) => value,
};

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  /**
   * Runs `work` without the time limits (migrations wait for another replica's lock and may
   * build an index on a large table): on PostgreSQL over a connection of its own.
   */
  withoutTimeLimits<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Time limits on PostgreSQL, so that a database that hangs or a network that stalls fails a
 * request in time to tell the person, rather than holding it (and a connection) for minutes.
 */
export interface TimeLimits {
  /** To get a connection: a free one from the pool, or a new one made. */
  connectMs: number;
  /** The server cancels a statement running longer (it is rolled back). */
  statementMs: number;
  /** The server ends a session left inside a transaction, idle, this long (its locks go). */
  idleInTransactionMs: number;
  /** No answer within this: the connection is dropped and the statement fails (AnswerLost if it may have been applied). */
  answerMs: number;
}

/** The limits of the app that answers Slack, which shows an error after 3 s without an answer. */
export const INTERACTIVE_LIMITS: TimeLimits = { connectMs: 1_500, statementMs: 1_500, idleInTransactionMs: 5_000, answerMs: 3_000 };

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** Without them, statements may run as long as they take (command-line tools). */
  limits?: TimeLimits;
  /** Called for each statement sent (counted in /metrics). */
  onStatement?: () => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const log = options.onStatement ? { log: options.onStatement } : {};
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize, options.limits, log) : openPglite(options.dataDir, log);
}

/** Kysely's log option: called once per statement executed. */
type StatementLog = { log?: () => void };

function openPostgres(connectionString: string, poolSize = 10, limits?: TimeLimits, log: StatementLog = {}): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(connectionString, poolSize, limits) }), ...log });
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    withoutTimeLimits: async (work) => {
      if (!limits) return work(db);
      const unlimited = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(connectionString, 1) }) });
      try {
        return await work(unlimited);
      } finally {
        await unlimited.destroy();
      }
    },
    close: () => db.destroy(),
  };
}

function postgresPool(connectionString: string, poolSize: number, limits?: TimeLimits): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: limits?.connectMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    ...(limits ? { statement_timeout: limits.statementMs, idle_in_transaction_session_timeout: limits.idleInTransactionMs } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A dropped connection is reported on the pool; without a listener it would crash the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    // A connection that drops while checked out (between two statements of a transaction)
    // emits 'error' on its client: without a listener that would crash the process. The
    // statement in flight fails on its own and the pool replaces the connection.
    client.on('error', () => {});
    if (limits) limitAnswerTime(client, limits.answerMs);
    prepareMarkedStatements(client);
  });
  return pool;
}

/**
 * A statement whose answer does not come within `answerMs` (the server's own statement timeout
 * would have answered by then: the network stalled) has its connection dropped, so it fails now
 * and the connection is not reused. A statement that lost its answer, outside a transaction or
 * as its COMMIT, fails with AnswerLost: it may have been applied. Inside a transaction nothing
 * was committed, and the error stays as it was.
 */
function limitAnswerTime(client: pg.PoolClient, answerMs: number): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown, callback?: unknown) => Promise<pg.QueryResult>;
  let inTransaction = false;
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    const submittable = typeof (config as { submit?: unknown } | null)?.submit === 'function';
    if (submittable || typeof callback === 'function' || typeof values === 'function') return query(config, values, callback);
    const text = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '');
    const command = text.trim().toLowerCase();
    const beginning = command === 'begin' || command.startsWith('start transaction');
    const committing = command === 'commit' || (!inTransaction && !beginning);
    if (beginning) inTransaction = true;
    else if (command === 'commit' || command === 'rollback') inTransaction = false;
    const timer = setTimeout(() => void client.end().catch(() => {}), answerMs);
    return query(config, values).then(
      (result) => {
        clearTimeout(timer);
        return result;
      },
      (error: unknown) => {
        clearTimeout(timer);
        // The server rolls back a transaction whose connection is gone: the failure that ended
        // it, not this one, is what the caller must see.
        if (command === 'rollback' && isDatabaseUnavailable(error))
          return { command: 'ROLLBACK', rowCount: 0, oid: 0, fields: [], rows: [] };
        throw committing && lostAnswer(error) ? new AnswerLost(error) : error;
      },
    );
  }) as typeof client.query;
}

/**
 * Marks a statement to be prepared: first in its SQL, or a select's `modifyFront`. For statements
 * whose best plan does not depend on their values (a row by its key, the sale's statement). Every
 * other statement is sent unnamed, so PostgreSQL plans it for its values (a leaderboard over one
 * month or three years).
 */
export const PREPARED = sql.raw('/* prepared */ ');
const PREPARED_MARK = '/* prepared */ ';
const MAX_PREPARED = 100;

/**
 * A statement marked PREPARED is prepared once per connection (a named statement per SQL text)
 * and then only bound and run: the server neither parses nor, once it has found a generic plan
 * no worse than planning each time, plans it again. For the hot path's one statement that is
 * most of the server's work. A statement whose result type a migration changed is prepared
 * again; outside a transaction it is sent again at once (the server refuses it before running it).
 */
function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown, callback?: unknown) => Promise<pg.QueryResult>;
  const names = new Map<string, string>();
  let inTransaction = false;
  let next = 0;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text !== 'string' || !Array.isArray(values) || callback !== undefined) return query(text, values, callback);
    const command = text.trim().toLowerCase();
    if (command === 'begin' || command.startsWith('start transaction')) inTransaction = true;
    else if (command === 'commit' || command === 'rollback') inTransaction = false;
    if (!text.includes(PREPARED_MARK)) return query(text, values);
    let name = names.get(text);
    if (!name) {
      if (names.size >= MAX_PREPARED) return query(text, values);
      name = `tally_${next++}`;
      names.set(text, name);
    }
    return query({ name, text, values }).catch((error: { code?: string; message?: string }) => {
      if (error.code !== '0A000' || !/cached plan must not change result type/.test(error.message ?? '')) throw error;
      names.delete(text);
      if (inTransaction) throw error;
      return query(text, values);
    });
  }) as typeof client.query;
}

async function openPglite(dataDir: string, log: StatementLog = {}): Promise<DatabaseHandle> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    parsers: {
      [pgliteTypes.INT8]: parsers[INT8]!,
      [pgliteTypes.DATE]: parsers[DATE]!,
      [pgliteTypes.NUMERIC]: parsers[NUMERIC]!,
    },
  });
  // The embedded database reads its pages through the process's own file cache, where a page
  // read at random costs about what the next one does; PostgreSQL's default (4) is for spinning
  // disks. With it, once the per-rep tables were analyzed while still small, the planner scanned
  // them whole rather than use their keys: a sale read every row of three of them (bench/grown).
  await pglite.exec('set random_page_cost = 1.1');
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), ...log });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    // The embedded database has no network to stall, and one process runs one statement at a time.
    withoutTimeLimits: (work) => work(db),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
