// Applies prisma/migrations through Prisma's wasm schema engine: the native engine's
// download host is unreachable on our machines, and the wasm build talks to the database
// through the same pg driver adapter the app uses, so PGlite and PostgreSQL share one path.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

const require = createRequire(import.meta.url);
export const PRISMA_DIR = path.resolve(import.meta.dirname, '../../prisma');

// Node has WebAssembly, but our lib settings (no DOM) do not declare it: type what we use.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown } }>;
    };
  }
).WebAssembly;

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // The package exports only its JS glue, so locate the .wasm beside it.
    const glueFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(glueFile), 'schema_engine_bg.wasm'));
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': glue });
    const exports = instance.exports as { __wbindgen_start: () => void };
    (glue as unknown as { __wbg_set_wasm: (w: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

export interface EngineTarget {
  connectionString: string;
  /** PostgreSQL schema to migrate; defaults to `public`. */
  schema?: string;
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes its connection. */
  close(): Promise<void>;
}

export async function openSchemaEngine(target: EngineTarget, datamodel?: string): Promise<OpenEngine> {
  await loadWasm();
  const { SchemaEngine } = glue as unknown as {
    SchemaEngine: typeof import('@prisma/schema-engine-wasm').SchemaEngine;
  };
  // Our own pool, so the connection can be closed when the engine is done with it.
  const pool = new pg.Pool({ connectionString: target.connectionString, max: 1 });
  pool.on('error', () => {});
  const adapter = wholeScripts(
    new PrismaPg(pool, target.schema ? { schema: target.schema } : undefined),
    pool,
  );
  const schemaPath = path.join(PRISMA_DIR, 'schema.prisma');
  const content = datamodel ?? (await readFile(schemaPath, 'utf8'));
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  return {
    engine,
    async close() {
      engine.free();
      await pool.end();
    },
  };
}

type Connected = Awaited<ReturnType<PrismaPg['connect']>> & { onError(error: unknown): never };

/**
 * The pg adapter runs a migration script by splitting it on every ";", which breaks any
 * function body ($$ … $$). PostgreSQL's simple query protocol takes a whole multi-statement
 * script at once, so send it in one piece.
 */
function wholeScripts(factory: PrismaPg, pool: pg.Pool): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as Connected;
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        adapter.onError(error);
      }
    };
    return adapter;
  };
  return factory;
}

export async function readMigrations(dir = path.join(PRISMA_DIR, 'migrations')): Promise<MigrationList> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockPath = path.join(dir, 'migration_lock.toml');
  const lock = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Applies pending migrations; returns the names it applied (empty when up to date). */
export async function migrate(target: EngineTarget): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(target);
  try {
    const out = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: { externalTables: [], externalEnums: [] },
    });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}
