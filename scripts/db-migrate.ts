// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded
// database in FAILSAFE_DATA_DIR when DATABASE_URL is unset (what start-up does too).
import path from 'node:path';
import { loadDatabaseConfig } from '../src/config/env.ts';
import { startEmbeddedDatabase } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';

const config = loadDatabaseConfig(process.env);
const embedded = config.databaseUrl
  ? undefined
  : await startEmbeddedDatabase({ dataDir: path.join(config.dataDir, 'data') });
try {
  const applied = await migrate({
    connectionString: config.databaseUrl ?? (embedded?.connectionString as string),
  });
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
      : 'Database is up to date.',
  );
} finally {
  await embedded?.stop();
}
