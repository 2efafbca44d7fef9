// The proposed wording and the command's parsing, as pure functions.
import { describe, expect, it } from 'vitest';
import { parseUpdateCommand, whichFeature } from '../../../src/capabilities/stakeholder-updates/command.ts';
import { draftUpdate, symptomOf } from '../../../src/capabilities/stakeholder-updates/template.ts';

const base = { featureName: 'AI support bot', timeZone: 'Europe/London' };
const incident = { title: 'Hallucinated refunds', openedAt: new Date('2026-11-23T09:41:00Z') };

describe('draftUpdate', () => {
  it('follows the template after a kill', () => {
    const kill = { at: new Date('2026-11-23T10:02:30Z'), reason: 'refunds' };
    expect(draftUpdate({ ...base, incident, kill })).toBe(
      'We disabled AI support bot at 10:02 after hallucinated refunds increased. No data loss or personal data exposure confirmed.',
    );
  });

  it('takes the symptom from the kill reason without an incident', () => {
    const kill = { at: new Date('2026-07-01T09:02:00Z'), reason: 'Wrong answers.' };
    expect(draftUpdate({ ...base, incident: null, kill })).toBe(
      'We disabled AI support bot at 10:02 after wrong answers increased. No data loss or personal data exposure confirmed.',
    );
  });

  it('says what is being investigated since when, without a kill', () => {
    expect(draftUpdate({ ...base, incident, kill: null })).toBe(
      'We are investigating hallucinated refunds in AI support bot since 09:41. No data loss or personal data exposure confirmed.',
    );
  });

  it('knows nothing without an incident or a kill', () => {
    expect(draftUpdate({ ...base, incident: null, kill: null })).toBe(
      'We are investigating a problem with AI support bot. No data loss or personal data exposure confirmed.',
    );
  });

  it.each([
    ['Hallucinated refunds', 'hallucinated refunds'],
    ['[FIRING:2] Wrong answers.', 'wrong answers'],
    ['LLM errors', 'LLM errors'],
    ['errors in checkout', 'errors in checkout'],
  ])('symptomOf(%j) = %j', (title, symptom) => {
    expect(symptomOf(title)).toBe(symptom);
  });
});

describe('parseUpdateCommand', () => {
  const isFeature = (key: string) => ['ai-support-bot', 'unrouted'].includes(key);
  it.each([
    ['', { kind: 'update', featureKey: null, firstWord: null, text: '' }],
    ['help', { kind: 'help' }],
    [
      'ai-support-bot',
      { kind: 'update', featureKey: 'ai-support-bot', firstWord: 'ai-support-bot', text: '' },
    ],
    [
      ' ai-support-bot  We disabled it. ',
      { kind: 'update', featureKey: 'ai-support-bot', firstWord: 'ai-support-bot', text: 'We disabled it.' },
    ],
    ['We disabled it.', { kind: 'update', featureKey: null, firstWord: 'We', text: 'We disabled it.' }],
    [
      'ai-suport-bot',
      { kind: 'update', featureKey: null, firstWord: 'ai-suport-bot', text: 'ai-suport-bot' },
    ],
  ])('%j', (text, expected) => {
    expect(parseUpdateCommand(text, isFeature)).toEqual(expected);
  });

  it('says what to type and lists the features', () => {
    expect(whichFeature('ai-suport-bot', ['ai-support-bot', 'unrouted'])).toMatch(
      /^Unknown feature `ai-suport-bot`, and this channel has no open incident\. Type `\/ai-update <feature> \[text\]`, like `\/ai-update ai-support-bot`\. Features: `ai-support-bot`, `unrouted`\./,
    );
    expect(whichFeature(null, ['ai-support-bot'])).toMatch(
      /^Which feature\? This channel has no open incident\./,
    );
  });
});
