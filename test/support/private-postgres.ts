// A PostgreSQL cluster of a test's own, for faults the shared server at 127.0.0.1:5432 must
// never suffer (other files run on it): initdb in a fresh temporary directory, start on a free
// port, stop it the way a crash does (`-m immediate`: no checkpoint, every backend killed) or
// cleanly, start it again on the same port, and remove it. The server binaries must not run as
// root, so as root (our machines and CI) they run as the `postgres` user.
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's layout; PG_BIN points elsewhere on other machines. */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const AS_ROOT = process.getuid?.() === 0;

export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres, trust auth. */
  readonly url: string;
  readonly port: number;
  /** Like a crash or a power cut: backends are killed, clients see their connections drop. */
  crash(): Promise<void>;
  /** A clean shutdown (`-m fast`): clients are disconnected, the data checkpointed. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it if it runs and deletes its data. Idempotent. */
  remove(): Promise<void>;
}

async function pgTool(tool: string, args: string[]): Promise<void> {
  const file = path.join(BIN, tool);
  const [cmd, argv] = AS_ROOT ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  await run(cmd, argv, { timeout: 30_000 });
}

/** A port nobody listens on now (the kernel's pick); PostgreSQL binds it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function postgresUid(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'failsafe-pg-'));
  if (AS_ROOT) {
    const { uid, gid } = await postgresUid();
    await chown(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  // --no-sync and fsync=off: the data is thrown away, and what an immediate stop kills is the
  // server's processes, not the machine, so WAL already written survives it. Never
  // synchronous_commit=off: a commit is then answered before its WAL is written, and an
  // immediate stop really loses what was acknowledged (seen here: two alerts answered 202, gone).
  await pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`, // its own socket directory, beside nobody else's
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
  ].join(' ');
  let running = false;
  const log = path.join(dir, 'log');
  const start = async () => {
    await pgTool('pg_ctl', ['start', '-w', '-t', '20', '-D', data, '-l', log, '-o', options]);
    running = true;
  };
  const stopWith = async (mode: 'immediate' | 'fast') => {
    if (!running) return;
    await pgTool('pg_ctl', ['stop', '-w', '-t', '20', '-D', data, '-m', mode]);
    running = false;
  };
  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    crash: () => stopWith('immediate'),
    stop: () => stopWith('fast'),
    start,
    async remove() {
      await stopWith('immediate').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
