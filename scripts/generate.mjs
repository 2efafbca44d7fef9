// Generates the Prisma client. `prisma generate` insists on a native schema engine path
// even though it never runs it, and the download host is unreachable here: point it at
// an existing file so it skips the download.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const result = spawnSync('prisma', ['generate', '--schema', 'prisma/schema.prisma'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
  shell: false,
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.exit(result.status ?? 1);
}
