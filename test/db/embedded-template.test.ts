// A new embedded data directory starts as a copy of one initialised cluster (initdb in wasm is
// most of a first start): the copy must be a clean cluster every time, whatever the directories
// made from it did, and a cache that cannot be written must not stop the start. Each case runs
// initdb in wasm (5–7 s alone, past 30 s on a loaded machine), hence the longer timeouts.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../src/db/embedded.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'failsafe-template-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function query(connectionString: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the embedded cluster template', () => {
  it('is made on the first start and copied, untouched by what a copy stores', async () => {
    const templateDir = path.join(root, 'cache', 'pglite');
    const first = await startEmbeddedDatabase({ dataDir: path.join(root, 'one'), templateDir });
    try {
      expect(existsSync(path.join(templateDir, 'PG_VERSION'))).toBe(true);
      await query(
        first.connectionString,
        'CREATE TABLE kept_by_one (x int); INSERT INTO kept_by_one VALUES (1)',
      );
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedDatabase({ dataDir: path.join(root, 'two'), templateDir });
    try {
      const tables = await query(
        second.connectionString,
        "SELECT 1 FROM pg_tables WHERE tablename = 'kept_by_one'",
      );
      expect(tables).toEqual([]);
    } finally {
      await second.stop();
    }
    // The first directory kept its own data: a copy, not a link to the template.
    const again = await startEmbeddedDatabase({ dataDir: path.join(root, 'one'), templateDir });
    try {
      expect(await query(again.connectionString, 'SELECT x FROM kept_by_one')).toEqual([{ x: 1 }]);
    } finally {
      await again.stop();
    }
  }, 90_000);

  it('starts without it when the cache cannot be written', async () => {
    const blocked = path.join(root, 'not-a-directory');
    await writeFile(blocked, '');
    const db = await startEmbeddedDatabase({
      dataDir: path.join(root, 'three'),
      templateDir: path.join(blocked, 'pglite'),
    });
    try {
      expect(await query(db.connectionString, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await db.stop();
    }
  }, 90_000);
});
