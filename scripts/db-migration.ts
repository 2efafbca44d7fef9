// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the difference between the schema of the last migration and prisma/schema.prisma.
// Each migration keeps a copy of the schema it was made from, so the diff is datamodel to
// datamodel and needs no shadow database (the wasm engine cannot describe one through the
// pg adapter: it rejects PostgreSQL's internal "char" columns). The result is then applied to
// a throwaway in-memory PGlite to prove the whole chain still applies.
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedDatabase } from '../src/db/embedded.ts';
import { migrate, openSchemaEngine, PRISMA_DIR } from '../src/db/migrate.ts';

const name = (process.argv[2] ?? '').trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (lower case letters, digits and _)');
  process.exit(2);
}
const migrationsDir = path.join(PRISMA_DIR, 'migrations');
const schemaPath = path.join(PRISMA_DIR, 'schema.prisma');
const existing = (await readdir(migrationsDir, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const last = existing.at(-1);
const previous = last ? await readFile(path.join(migrationsDir, last, 'schema.prisma'), 'utf8') : undefined;
const current = await readFile(schemaPath, 'utf8');

const db = await startEmbeddedDatabase({ dataDir: 'memory://' });
try {
  const { engine, close } = await openSchemaEngine({ connectionString: db.connectionString });
  const result = await engine.diff({
    from: previous
      ? { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: previous }] }
      : { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: current }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  } as Parameters<typeof engine.diff>[0]);
  await close();
  const sql = (result.stdout ?? '').trim();
  if (!sql || sql === '-- This is an empty migration.') {
    console.log('No schema changes since the last migration.');
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
  await copyFile(schemaPath, path.join(dir, 'schema.prisma'));
  const applied = await migrate({ connectionString: db.connectionString });
  console.log(
    `Created ${path.relative(process.cwd(), dir)}; all ${applied.length} migrations apply cleanly.`,
  );
} finally {
  await db.stop();
}
