// The database settings unleash-server gets for a database on the tests' PostgreSQL server;
// one copy for the template the global setup migrates and the copies test files start on.
import { SERVER_URL } from './server-url.ts';

export function unleashDbConfig(database: string) {
  const db = new URL(SERVER_URL);
  return {
    host: db.hostname,
    port: Number(db.port || 5432),
    user: decodeURIComponent(db.username || 'postgres'),
    password: decodeURIComponent(db.password),
    database,
    ssl: false,
    schema: 'public',
  };
}
