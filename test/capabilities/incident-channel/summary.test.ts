// The pinned summary's flag line names the next move: a flag that is on can be killed, one that
// is off is brought back with restore (it suggested `/ai-kill` for a flag already off).
import { describe, expect, it } from 'vitest';
import type { FlagEnvironment } from '../../../src/adapters/unleash-admin.ts';
import { incidentSummary } from '../../../src/capabilities/incident-channel/summary.ts';
import { loadCatalog } from '../../../src/config/catalog.ts';
import type { Incident } from '../../../src/generated/prisma/client.ts';
import { EXAMPLE_CATALOG } from '../../support/harness.ts';

const incident = {
  number: 7,
  status: 'acknowledged',
  mitigatedAt: null,
  title: 'Refund answers invent policies',
  severity: 'critical',
  openedAt: new Date('2026-12-03T09:00:00Z'),
  pdIncidentUrl: null,
  assigneeName: 'Jane Doe',
  assigneeSlackId: 'U0JANE',
  nextUpdateAt: null,
  rootCause: null,
} as unknown as Incident;

async function flagLine(enabled: boolean): Promise<string> {
  const catalog = await loadCatalog(EXAMPLE_CATALOG);
  const feature = catalog.features.find((f) => f.key === 'ai-support-bot');
  if (!feature) throw new Error('the example catalog has ai-support-bot');
  const production: FlagEnvironment = { name: 'production', enabled, strategies: [] };
  const deps = { unleash: { admin: { getFlag: async () => [production] } } };
  const text = await incidentSummary(deps as never, incident, feature);
  return text.split('\n').find((l) => l.startsWith('• Flag:')) ?? '';
}

describe('the incident summary flag line', () => {
  it('offers the kill while the flag is on', async () => {
    expect(await flagLine(true)).toBe(
      '• Flag: `ai-support-bot` is *ON (100%)* in production — `/ai-kill ai-support-bot`',
    );
  });

  it('offers the restore once the flag is off', async () => {
    expect(await flagLine(false)).toBe(
      '• Flag: `ai-support-bot` is *OFF* in production — `/ai-kill restore ai-support-bot`',
    );
  });
});
