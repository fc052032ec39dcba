// Opens the database: PostgreSQL through `pg` when a URL is given, otherwise the embedded
// PGlite in a data folder. Both get the same type parsing, so the rest of Tally cannot tell.
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
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
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize) : openPglite(options.dataDir);
}

function openPostgres(connectionString: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
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
    prepareMarkedStatements(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
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

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    parsers: {
      [pgliteTypes.INT8]: parsers[INT8]!,
      [pgliteTypes.DATE]: parsers[DATE]!,
      [pgliteTypes.NUMERIC]: parsers[NUMERIC]!,
    },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
