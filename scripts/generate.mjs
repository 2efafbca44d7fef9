// Generates the Prisma client. `prisma generate` insists on a native schema engine path
// even though it never runs it, and the download host is unreachable here: point it at
// an existing file so it skips the download.
//
// It runs before every `npm start`, `npm test` and `npm run doctor`, so it skips the 2–3 s of
// generation when the client already matches: a stamp beside the client records the schema,
// this script and the installed prisma version it was generated from.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const SCHEMA = 'prisma/schema.prisma';
const OUTPUT = 'src/generated/prisma';
const STAMP = `${OUTPUT}/.generated-from`;

function source() {
  const prisma = createRequire(import.meta.url)('prisma/package.json').version;
  const hash = createHash('sha256')
    .update(readFileSync(SCHEMA))
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(prisma)
    .digest('hex');
  return `${hash}\n`;
}

const wanted = source();
if (existsSync(`${OUTPUT}/client.ts`) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) {
  process.exit(0);
}

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const result = spawnSync('prisma', ['generate', '--schema', SCHEMA], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
  shell: false,
});
if (result.status !== 0) {
  if (result.error)
    process.stderr.write(`generate: could not run prisma (${result.error.message}); use npm run generate\n`);
  process.stdout.write(result.stdout ?? '');
  process.exit(result.status ?? 1);
}
writeFileSync(STAMP, wanted);
