import { describe, expect, it } from 'vitest';
import { CatalogError } from '../src/config/catalog.ts';
import { EXAMPLE_CATALOG, resolveCatalogPath } from '../src/config/catalog-path.ts';
import { loadConfig } from '../src/config/env.ts';
import { startFailsafe } from '../src/runtime.ts';

const live = {
  SLACK_BOT_TOKEN: 'xoxb-live-token',
  SLACK_SIGNING_SECRET: 'live-signing-secret',
  FAILSAFE_ALERT_TOKEN: 'live-alert-token-0123456789',
};

describe('resolveCatalogPath', () => {
  it('uses the example catalog in the sandbox when the configured file does not exist', async () => {
    const sandbox = loadConfig({ FAILSAFE_CONFIG: '/nonexistent/failsafe.yml' });
    expect(await resolveCatalogPath(sandbox)).toBe(EXAMPLE_CATALOG);
    expect(await resolveCatalogPath(loadConfig({}))).toBe(EXAMPLE_CATALOG);
  });

  it('keeps a catalog that exists, in the sandbox too', async () => {
    const sandbox = loadConfig({ FAILSAFE_CONFIG: EXAMPLE_CATALOG });
    expect(await resolveCatalogPath(sandbox)).toBe(EXAMPLE_CATALOG);
  });

  it('never uses the example in production, at the default path either, so start-up fails naming the file', async () => {
    for (const FAILSAFE_CONFIG of ['/nonexistent/failsafe.yml', './failsafe.yml']) {
      const config = loadConfig({ ...live, FAILSAFE_CONFIG });
      expect(await resolveCatalogPath(config)).toBe(FAILSAFE_CONFIG);
    }
  });
});

describe('startFailsafe in production without a catalog', () => {
  it('stops with a CatalogError naming the file, before it opens a database', async () => {
    // Nobody listens on port 1: reaching the database would fail differently.
    const config = loadConfig({
      ...live,
      DATABASE_URL: 'postgres://failsafe@127.0.0.1:1/failsafe',
      FAILSAFE_CONFIG: '/nonexistent/failsafe.yml',
    });
    const started = startFailsafe(config, { defaultMetrics: false });
    await expect(started).rejects.toThrow(CatalogError);
    await expect(started).rejects.toThrow(
      /^\/nonexistent\/failsafe\.yml: cannot read the catalog: file not found/,
    );
  });
});
