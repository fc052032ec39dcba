// Each test file gets a database of its own: a fresh PGlite folder by default, or, when
// TEST_DATABASE_URL is set, a new database on that PostgreSQL server, dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  /** Env for Tally: DATABASE_URL, or DATA_DIR for the embedded database. */
  env: { DATABASE_URL?: string; DATA_DIR: string };
  kind: 'postgres' | 'pglite';
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-test-'));
  if (!serverUrl) {
    return { env: { DATA_DIR: dataDir }, kind: 'pglite', drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `tally_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    kind: 'postgres',
    drop: async () => {
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
