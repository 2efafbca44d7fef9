// Which catalog file to load. The example's sample ids (its PagerDuty services, Slack channels and
// Unleash flags) are fine to simulate but must never be paged for real, so only the sandbox falls
// back to it; outside, a missing file stays the configured path and loadCatalog stops start-up
// naming it.
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './env.ts';

export const EXAMPLE_CATALOG = path.resolve(import.meta.dirname, '../../failsafe.example.yml');

/** Structural, so config/ does not depend on the logger module. */
interface Warn {
  warn(details: object, message: string): void;
}

export async function resolveCatalogPath(
  config: Pick<Config, 'mode' | 'configPath'>,
  logger?: Warn,
): Promise<string> {
  if (config.mode !== 'sandbox') return config.configPath;
  const exists = await access(config.configPath).then(
    () => true,
    () => false,
  );
  if (exists) return config.configPath;
  logger?.warn(
    { configPath: config.configPath, using: EXAMPLE_CATALOG },
    'no catalog file found; the sandbox uses failsafe.example.yml',
  );
  return EXAMPLE_CATALOG;
}
