// Runs before the test suite: makes sure the PostgreSQL the tests use is up (on our
// development and CI machines it is a local cluster; start it if it is installed but down),
// and that Debian's Chromium is there for the browser tests. playwright-core never downloads
// a browser, and these machines reach Debian's packages only, so apt installs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test');
const host = url.hostname;
const port = Number(url.port || 5432);

function reachable() {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitUntilReachable(ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await reachable()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

if (!(await reachable())) {
  const local = host === '127.0.0.1' || host === 'localhost';
  if (local && existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      console.log(`test-setup: starting PostgreSQL ${version}/main`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'inherit',
      });
    }
  }
  if (!(await waitUntilReachable(15_000))) {
    console.error(
      `test-setup: PostgreSQL is not reachable at ${host}:${port}. Install and start PostgreSQL ` +
        '(trust auth, database "test"), or set TEST_DATABASE_URL to a server the tests may create databases on.',
    );
    process.exit(1);
  }
}

const CHROMIUM = '/usr/bin/chromium';
// Slack draws emoji in colour; without a colour emoji font the console's screenshots show boxes.
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

const missing = [
  ...(existsSync(CHROMIUM) ? [] : ['chromium']),
  ...(existsSync(EMOJI_FONT) ? [] : ['fonts-noto-color-emoji']),
];
if (missing.length) {
  if (process.getuid?.() !== 0) {
    const how = `apt-get install --no-install-recommends ${missing.join(' ')}`;
    if (!existsSync(CHROMIUM)) {
      console.error(
        `test-setup: ${CHROMIUM} is missing and this is not root, so it cannot be installed here. ` +
          `Run as root, or install it yourself: ${how}`,
      );
      process.exit(1);
    }
    console.warn(`test-setup: no colour emoji font, so screenshots show emoji as boxes (${how})`);
  } else {
    console.log(`test-setup: installing Debian ${missing.join(' and ')} for the browser tests`);
    const apt = (args) =>
      spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    const installed =
      apt(['update']).status === 0 &&
      apt(['install', '-y', '--no-install-recommends', ...missing]).status === 0;
    if (!installed || !existsSync(CHROMIUM)) {
      console.error(`test-setup: apt-get could not install chromium (${CHROMIUM} is still missing)`);
      process.exit(1);
    }
    if (!existsSync(EMOJI_FONT)) console.warn('test-setup: the colour emoji font could not be installed');
  }
}
