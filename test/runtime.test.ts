import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/env.ts';
import { createLogger } from '../src/observability/logger.ts';
import { EXAMPLE_CATALOG, resolveCatalogPath } from '../src/runtime.ts';

const logger = createLogger({ level: 'silent' });
const live = {
  SLACK_BOT_TOKEN: 'xoxb-live-token',
  SLACK_SIGNING_SECRET: 'live-signing-secret',
  FAILSAFE_ALERT_TOKEN: 'live-alert-token-0123456789',
};

describe('resolveCatalogPath', () => {
  it('uses the example catalog in the sandbox and at the default path when no failsafe.yml exists', async () => {
    const sandbox = loadConfig({ FAILSAFE_CONFIG: '/nonexistent/failsafe.yml' });
    expect(await resolveCatalogPath(sandbox, logger)).toBe(EXAMPLE_CATALOG);
    const liveDefault = loadConfig({ ...live, FAILSAFE_CONFIG: './failsafe.yml' });
    expect(await resolveCatalogPath(liveDefault, logger)).toBe(EXAMPLE_CATALOG);
  });

  it('keeps an explicitly configured path that does not exist, so start-up fails naming it', async () => {
    const config = loadConfig({ ...live, FAILSAFE_CONFIG: '/nonexistent/failsafe.yml' });
    expect(await resolveCatalogPath(config, logger)).toBe('/nonexistent/failsafe.yml');
  });
});
