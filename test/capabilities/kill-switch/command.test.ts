// What /ai-kill understands, and what it says instead when it does not.
import { describe, expect, it } from 'vitest';
import { parseKillCommand } from '../../../src/capabilities/kill-switch/command.ts';

describe('parseKillCommand', () => {
  it('reads a kill with a multi-word reason', () => {
    expect(parseKillCommand(' ai-bot  hallucinated refunds ')).toEqual({
      kind: 'kill',
      featureKey: 'ai-bot',
      reason: 'hallucinated refunds',
    });
  });

  it('reads status with and without a feature', () => {
    expect(parseKillCommand('status')).toEqual({ kind: 'status', featureKey: null });
    expect(parseKillCommand('status ai-bot')).toEqual({ kind: 'status', featureKey: 'ai-bot' });
  });

  it('reads restore with defaults, a ramp, a hold and --now', () => {
    expect(parseKillCommand('restore ai-bot')).toEqual({
      kind: 'restore',
      featureKey: 'ai-bot',
      steps: [10, 50, 100],
      holdSeconds: 900,
      now: false,
    });
    expect(parseKillCommand('restore ai-bot --ramp 5,25%,100 --hold 2h')).toMatchObject({
      steps: [5, 25, 100],
      holdSeconds: 7200,
    });
    expect(parseKillCommand('restore ai-bot --now')).toMatchObject({ steps: [100], now: true });
  });

  it('answers mistakes with the usage', () => {
    for (const [text, says] of [
      ['', 'What would you like to do?'],
      ['drill', 'needs exactly one feature'],
      ['restore', 'needs a feature'],
      ['restore ai-bot --ramp 10,50', 'ending at 100'],
      ['restore ai-bot --ramp 50,10,100', 'rising percentages'],
      ['restore ai-bot --ramp 0,100', 'rising percentages'],
      ['restore ai-bot --hold 2d', 'up to 24h'],
      ['restore ai-bot --hold', 'without a value'],
      ['restore ai-bot --fast', '`--fast`'],
    ] as const) {
      const parsed = parseKillCommand(text);
      expect(parsed.kind, text).toBe('help');
      expect(parsed.kind === 'help' && parsed.message, text).toContain(says);
      expect(parsed.kind === 'help' && parsed.message, text).toContain('/ai-kill restore <feature>');
    }
  });
});
