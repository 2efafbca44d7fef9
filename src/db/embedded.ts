// The embedded default: PGlite (PostgreSQL compiled to wasm) served on loopback through
// pglite-socket, so the app, the queue and migrations use the very same pg driver code
// they use against a real PostgreSQL. The socket server serialises protocol messages and keeps
// a transaction on the connection that opened it; keepQueriesTogether (below) also keeps an
// extended query (Parse … Sync) on its connection, so a handful of connections is safe.
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
