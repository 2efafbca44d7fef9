// Golden drafts for three realistic incidents, each written into the database row by row:
// a provider outage handled with the kill switch and a ramp, a slow quality drift caught by
// the error budget, and a config change rolled back by hand. The Markdown must match the
// reviewed files in golden/ exactly (update them with `vitest -u` and read the diff).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, buildDraft, draftHeader } from '../../../src/capabilities/postmortem/draft.ts';
import { loadFacts } from '../../../src/capabilities/postmortem/load.ts';
import { useRunningApp } from '../../support/harness.ts';
import { configRollback } from './incidents/config-rollback.ts';
import { providerOutage } from './incidents/provider-outage.ts';
import { qualityDrift } from './incidents/quality-drift.ts';
import { type SeedIncident, TEST_CATALOG } from './seed.ts';
import { seedIncident } from './write.ts';

const env = useRunningApp({ extra: { FAILSAFE_CONFIG: TEST_CATALOG } });

async function draftOf(seed: SeedIncident) {
  const id = await seedIncident(env.database, seed);
  const incident = await env.app.deps.db.incident.findUniqueOrThrow({ where: { id } });
  const draft = buildDraft(await loadFacts(env.app.deps, incident), { featureLabel: 'ai_feature' });
  const generatedAt = new Date((seed.resolvedAt ?? seed.openedAt).getTime() + 3_600_000);
  return {
    draft,
    markdown: assemble(draftHeader(draft, { version: 1, generatedAt, changes: null }), draft.body),
  };
}

describe('golden drafts', () => {
  it.each([
    ['provider-outage', providerOutage],
    ['quality-drift', qualityDrift],
    ['config-rollback', configRollback],
  ] as const)('%s', async (name, seed) => {
    const { markdown } = await draftOf(seed);
    await expect(markdown).toMatchFileSnapshot(path.join(import.meta.dirname, 'golden', `${name}.md`));
  });
});
