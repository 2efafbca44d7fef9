// The embedded default: no DATABASE_URL, PGlite in the data directory, the same code path.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startFailsafe } from '../../src/runtime.ts';
import { type Fakes, genericAlert, postAlert, startFakes, testEnv } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

let fakes: Fakes;
let dataDir: string;

beforeAll(async () => {
  fakes = await startFakes();
  dataDir = await mkdtemp(path.join(tmpdir(), 'failsafe-embedded-'));
});
afterAll(async () => {
  await fakes.close();
  await rm(dataDir, { recursive: true, force: true });
});

function embeddedConfig() {
  const env: Record<string, string | undefined> = { ...testEnv('unused', fakes), FAILSAFE_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return loadConfig(env);
}

describe('embedded PGlite', () => {
  it('starts, applies migrations, pages an alert, and reopens the same data after a restart', async () => {
    const config = embeddedConfig();
    expect(config.databaseUrl).toBeUndefined();
    const logger = createLogger({ level: 'silent' });
    const first = await startFailsafe(config, { logger, defaultMetrics: false });
    try {
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      expect((await postAlert(first, 'generic', genericAlert('embedded-1'))).status).toBe(202);
      await fakes.pd.waitFor((r) => r.method === 'POST' && r.path === '/incidents');
      await fakes.slack.waitForMessage((m) => m.text.includes('embedded-1') && m.text.includes('Jane Doe'));
      await waitUntil(
        () => first.deps.db.incident.findFirst({ select: { slackTs: true } }),
        (row) => row?.slackTs != null,
      );
    } finally {
      await first.stop();
    }
    const second = await startFailsafe(config, { logger, defaultMetrics: false });
    try {
      const incidents = await second.deps.db.incident.findMany();
      expect(incidents).toHaveLength(1);
      expect(incidents[0]?.pageState).toBe('sent');
      const migrations = await second.deps.db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM _prisma_migrations`;
      expect(migrations[0]?.n).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  });
});

describe('Events API paging without a REST token', () => {
  it('sends one trigger with a deterministic dedup key and says the on-call person was paged', async () => {
    const { createTestDatabase } = await import('../support/database.ts');
    const { FAKE_ROUTING_KEY } = await import('../../src/sandbox/fakes/pagerduty.ts');
    const database = await createTestDatabase();
    const catalog = path.join(dataDir, 'events.yml');
    await writeFile(
      catalog,
      `features:\n  - key: ai-events\n    name: AI events feature\n    owner: { slack: U0SAM }\n` +
        `    pagerduty: { routing_key: ${FAKE_ROUTING_KEY} }\n    slack: { alerts_channel: C0ALERTS }\n`,
    );
    const env = { ...testEnv(database.url, fakes), FAILSAFE_CONFIG: catalog } as Record<
      string,
      string | undefined
    >;
    delete env.PAGERDUTY_API_TOKEN;
    delete env.PAGERDUTY_FROM_EMAIL;
    const app = await startFailsafe(loadConfig(env), {
      logger: createLogger({ level: 'silent' }),
      defaultMetrics: false,
    });
    try {
      await postAlert(app, 'generic', genericAlert('ev-1', 'ai-events'));
      await postAlert(app, 'generic', genericAlert('ev-2', 'ai-events'));
      const message = await fakes.slack.waitForMessage((m) => m.text.includes('ev-1'));
      expect(message.text).toContain('AI events feature');
      const triggers = fakes.pd.state.events.filter((e) => e.routing_key === FAKE_ROUTING_KEY);
      expect(triggers).toHaveLength(1);
      const [incident] = await database.query('SELECT pd_dedup_key FROM incident');
      expect(triggers[0]?.dedup_key).toBe(incident?.pd_dedup_key);
      expect(JSON.stringify(message.blocks)).toContain('PagerDuty Events');
    } finally {
      await app.stop();
      await database.drop();
    }
  });
});
