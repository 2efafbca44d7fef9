// The ticket rule's words must agree with its number: a slow burn is "not urgent", a burn at a
// paging rate is not called that.
import { describe, expect, it } from 'vitest';
import { ticketText } from '../../../src/capabilities/error-budget/messages.ts';
import type { BurnRule, Feature, Slo } from '../../../src/config/catalog.ts';

const H = 3600;
const rule = (name: string, longSeconds: number, burnRate: number, notify: 'page' | 'ticket'): BurnRule => ({
  name,
  longSeconds,
  shortSeconds: longSeconds / 12,
  burnRate,
  notify,
});
const ticket = rule('3d/6h', 72 * H, 1, 'ticket');
const slo: Slo = {
  target: 0.98,
  periodSeconds: 30 * 86_400,
  kinds: null,
  onExhausted: 'page',
  minEvents: 0,
  burnAlerts: [rule('1h/5m', H, 14.4, 'page'), rule('6h/30m', 6 * H, 6, 'page'), ticket],
};
const feature = { key: 'ai-search-summaries' } as Feature;

describe('the ticket rule notice', () => {
  it('calls a slow burn not urgent', () => {
    const text = ticketText(feature, slo, ticket, 1.5, 0.8);
    expect(text).toBe(
      ':ticket: ai-search-summaries: 15% of the 30-day budget burned in the last 3 days (burn rate 1.5×). ' +
        'Budget left: 80%. A slow burn, not urgent enough to page: someone should look at it this week.',
    );
  });

  it('does not call a 30× burn not urgent, and names the page rule that covers it', () => {
    const text = ticketText(feature, slo, ticket, 30, 0);
    expect(text).not.toContain('not urgent');
    expect(text).toContain('burn rate 30×');
    expect(text).toMatch(/^:warning: /);
    expect(text).toContain('That is a paging rate (the 1h/5m rule pages above 14×)');
  });

  it('at a rate only the slower page rule reaches, names that one', () => {
    expect(ticketText(feature, slo, ticket, 8, 0.5)).toContain('(the 6h/30m rule pages above 6×)');
  });
});
