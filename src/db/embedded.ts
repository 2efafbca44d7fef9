// The embedded default: PGlite (PostgreSQL compiled to wasm) served on loopback through
// pglite-socket, so the app, the queue and migrations use the very same pg driver code
// they use against a real PostgreSQL. The socket server serialises statements and keeps a
// transaction on the connection that opened it, so a handful of connections is safe.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** A directory for the data files, or `memory://` for a throwaway database. */
  dataDir: string;
  maxConnections?: number;
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 16,
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.addEventListener('listening', (e) => resolve((e as CustomEvent<{ port: number }>).detail.port), {
      once: true,
    });
    server.start().catch(reject);
  });
  return {
    connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
