// The embedded default: PGlite (PostgreSQL compiled to wasm) served on loopback through
// pglite-socket, so the app, the queue and migrations use the very same pg driver code
// they use against a real PostgreSQL. The socket server serialises protocol messages and keeps
// a transaction on the connection that opened it; keepQueriesTogether (below) also keeps an
// extended query (Parse … Sync) on its connection, so a handful of connections is safe.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
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
  /** Where a freshly initialised cluster is kept to copy from; unset = TEMPLATE_DIR. */
  templateDir?: string;
}

/** PGlite's version, from its package.json (which its exports do not list). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const root = entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`));
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * initdb in wasm takes 5–7 s, most of a first start (and every sandbox start, which begins from
 * an empty directory); copying an initialised cluster and opening it takes under a second. The
 * copy lives beside the package's dependencies, keyed by PGlite's version, since initdb's output
 * depends only on that.
 */
export const TEMPLATE_DIR = path.resolve(
  import.meta.dirname,
  `../../node_modules/.cache/failsafe/pglite-${pgliteVersion()}`,
);

/**
 * A new data directory starts as a copy of the template, made once (atomically) if missing.
 * Without a writable cache (a read-only install) PGlite initialises the directory itself.
 */
async function seedFromTemplate(dataDir: string, templateDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  try {
    if (!existsSync(path.join(templateDir, 'PG_VERSION'))) {
      await mkdir(path.dirname(templateDir), { recursive: true });
      const building = `${templateDir}.${randomUUID()}`;
      const fresh = await PGlite.create(building);
      await fresh.close();
      // Two first starts at once each build one; the first rename wins and the other is dropped.
      await rename(building, templateDir).catch(() => rm(building, { recursive: true, force: true }));
    }
    await cp(templateDir, dataDir, { recursive: true });
  } catch {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
  }
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  if (!options.dataDir.startsWith('memory://')) {
    await mkdir(options.dataDir, { recursive: true });
    await seedFromTemplate(options.dataDir, options.templateDir ?? TEMPLATE_DIR);
  }
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 16,
  });
  keepQueriesTogether((server as unknown as { queryQueue: QueryQueue }).queryQueue);
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

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

/** pglite-socket 0.2's QueryQueueManager, the parts replaced here. */
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Parse, Bind, Describe, Execute, Close, Flush: an extended query runs on until its Sync. */
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/**
 * pglite-socket queues each protocol message on its own and, outside a transaction, takes the
 * next from any connection: two connections' Parse/Bind/Execute then interleave ("bind message
 * supplies 2 parameters, but prepared statement requires 3"), which a Slack button click (two
 * queries at once) hit every time in the sandbox. This keeps serving one connection until its
 * extended query reaches Sync, as it already does for a transaction. (Its own loop also left
 * the queue stuck for good after one failed message; this one carries on.)
 */
function keepQueriesTogether(q: QueryQueue): void {
  let open = false;
  q.processQueue = async () => {
    if (q.processing) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const sticky = q.lastHandlerId !== null && (open || q.db.isInTransaction());
        const index = sticky ? q.queue.findIndex((m) => m.handlerId === q.lastHandlerId) : 0;
        // Its next message is on the way (messages of one read are queued one by one).
        if (index === -1) break;
        const [next] = q.queue.splice(index, 1) as [QueuedMessage];
        open = EXTENDED.has(next.message[0] ?? 0);
        q.lastHandlerId = next.handlerId;
        let bytes = 0;
        try {
          await q.db.runExclusive(() =>
            q.db.execProtocolRawStream(next.message, {
              onRawData: (data) => {
                bytes += data.length;
                next.onData(data);
              },
            }),
          );
          next.resolve(bytes);
        } catch (error) {
          open = false;
          next.reject(error);
        }
      }
    } finally {
      q.processing = false;
    }
  };
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId) => {
    clear(handlerId);
    // A connection gone mid-query never sends its Sync: the others must not wait for it.
    if (handlerId === q.lastHandlerId && !q.db.isInTransaction()) open = false;
    void q.processQueue();
  };
}
