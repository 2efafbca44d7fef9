// validateUpdate as the modal sees it: each rule, table-driven, with the field it is shown
// next to; and the next-update time rule (today, or tomorrow past midnight).
import { describe, expect, it } from 'vitest';
import { jargonList } from '../../../src/capabilities/stakeholder-updates/jargon.ts';
import {
  defaultNextUpdate,
  resolveNextUpdate,
  splitNextUpdateClause,
} from '../../../src/capabilities/stakeholder-updates/next-update.ts';
import {
  MAX_UPDATE_CHARS,
  modalErrors,
  validateUpdate,
} from '../../../src/capabilities/stakeholder-updates/validate.ts';

// 10:02 in London (GMT in November).
const NOW = new Date('2026-11-23T10:02:00Z');
const ctx = {
  now: NOW,
  timeZone: 'Europe/London',
  jargon: jargonList(),
  people: ['Jane Doe'],
  systems: ['AI support bot'],
};
const GOOD = 'We disabled AI support bot at 10:02 after wrong refunds increased. No data loss confirmed.';

describe('validateUpdate', () => {
  // [rule, text, next update, the fields and rules reported]
  const cases: Array<[string, string, string, string[]]> = [
    ['a good update passes', GOOD, '10:30', []],
    ['empty text', '   ', '10:30', ['text:empty']],
    ['only the next-update clause', 'Next update at 10:30.', '10:30', ['text:empty']],
    ['three sentences', `${GOOD} We are sorry.`, '10:30', ['text:sentences']],
    ['three lines', 'Bot off\nRefunds wrong\nWorking on it', '10:30', ['text:sentences']],
    [
      'two sentences with abbreviations and times',
      'At 3 p.m., i.e. approx. 2.5% of chats, v1.2 failed. It is off.',
      '10:30',
      [],
    ],
    ['too long', `We disabled it after ${'wrong answers, '.repeat(70)}increased.`, '10:30', ['text:length']],
    ['jargon', 'The p99 and 5xx rose after a rollback. We disabled it.', '10:30', ['text:jargon']],
    ['blame', 'We disabled it after Jane broke the prompt.', '10:30', ['text:blame']],
    ['blame with a mention', 'It was <@U0JANE>’s fault.', '10:30', ['text:blame']],
    ['human error', 'It was human error.', '10:30', ['text:blame']],
    ['an email address', 'A customer (bob@example.com) saw it.', '10:30', ['text:personal_data']],
    ['a phone number', 'Call +44 20 7946 0958 with questions.', '10:30', ['text:personal_data']],
    ['a token', 'The key xoxb-1234567890-abcdefghij leaked.', '10:30', ['text:personal_data']],
    ['a time that is not one', GOOD, 'soon', ['next_update:time_format']],
    ['an empty time', GOOD, '', ['next_update:time_format']],
    ['25:00', GOOD, '25:00', ['next_update:time_format']],
    ['a time in the past', GOOD, '09:30', ['next_update:time_past']],
    ['now is not the future', GOOD, '10:02', ['next_update:time_past']],
    ['a clause that agrees with the field', `${GOOD} Next update at 10:30.`, '10:30', []],
    ['a clause that does not', `${GOOD} Next update at 11:00.`, '10:30', ['text:time_mismatch']],
    [
      'several at once',
      'Jane broke the LLM.',
      'later',
      ['next_update:time_format', 'text:jargon', 'text:blame'],
    ],
  ];

  it.each(cases)('%s', (_rule, text, nextUpdate, expected) => {
    const result = validateUpdate({ text, nextUpdate }, ctx);
    const found = result.ok ? [] : result.violations.map((v) => `${v.field}:${v.rule}`);
    expect(found).toEqual(expected);
  });

  it('composes the update with the promised time, adding a full stop where missing', () => {
    const result = validateUpdate({ text: 'We disabled AI support bot', nextUpdate: '10:30' }, ctx);
    expect(result).toEqual({
      ok: true,
      body: 'We disabled AI support bot.',
      dueAt: new Date('2026-11-23T10:30:00Z'),
      update: 'We disabled AI support bot. Next update at 10:30.',
    });
  });

  it('says what to write instead', () => {
    const result = validateUpdate({ text: 'The p99 went up after Jane broke it.', nextUpdate: '9:00' }, ctx);
    if (result.ok) throw new Error('expected violations');
    const errors = modalErrors(result.violations, { text: 'update_text', next_update: 'next_update' });
    expect(errors.update_text).toContain('"p99" → say "slowest responses"');
    expect(errors.update_text).toContain('"Jane broke" points at a person. Say what failed, not who');
    expect(errors.next_update).toBe(
      '09:00 has already passed (it is 10:02 in Europe/London). Promise a time ahead, like 10:35.',
    );
  });

  it(`counts the whole update against ${MAX_UPDATE_CHARS} characters`, () => {
    const fits = `We disabled it. ${'x'.repeat(MAX_UPDATE_CHARS - 16 - 23)}`;
    expect(validateUpdate({ text: fits, nextUpdate: '10:30' }, ctx).ok).toBe(true);
    const over = validateUpdate({ text: `${fits}x`, nextUpdate: '10:30' }, ctx);
    expect(over.ok ? [] : over.violations.map((v) => v.message)).toEqual([
      `Too long: ${MAX_UPDATE_CHARS + 1} characters with the "Next update at" sentence; keep it under 1,000. Details belong in the incident channel.`,
    ]);
  });
});

describe('the next-update time', () => {
  // [case, now, zone, typed, the moment it means or the rule it breaks]
  const cases: Array<[string, string, string, string, string]> = [
    ['later today', '2026-11-23T10:02:00Z', 'Europe/London', '10:30', '2026-11-23T10:30:00.000Z'],
    ['one digit hour', '2026-11-23T08:02:00Z', 'Europe/London', '9:05', '2026-11-23T09:05:00.000Z'],
    ['a dot', '2026-11-23T10:02:00Z', 'Europe/London', '10.30', '2026-11-23T10:30:00.000Z'],
    ['no separator', '2026-11-23T10:02:00Z', 'Europe/London', '1030', '2026-11-23T10:30:00.000Z'],
    ['summer time', '2026-07-01T09:00:00Z', 'Europe/London', '10:30', '2026-07-01T09:30:00.000Z'],
    ['another zone', '2026-11-23T15:00:00Z', 'America/New_York', '10:30', '2026-11-23T15:30:00.000Z'],
    [
      'past midnight means tomorrow',
      '2026-11-23T23:50:00Z',
      'Europe/London',
      '00:20',
      '2026-11-24T00:20:00.000Z',
    ],
    ['12 h ago means tomorrow', '2026-11-23T22:00:00Z', 'Europe/London', '09:59', '2026-11-24T09:59:00.000Z'],
    ['earlier today is the past', '2026-11-23T10:02:00Z', 'Europe/London', '09:30', 'time_past'],
    ['this minute is the past', '2026-11-23T10:02:30Z', 'Europe/London', '10:02', 'time_past'],
    ['not a time', '2026-11-23T10:02:00Z', 'Europe/London', '10:30pm', 'time_format'],
    ['24:00', '2026-11-23T10:02:00Z', 'Europe/London', '24:00', 'time_format'],
  ];
  it.each(cases)('%s', (_case, now, zone, typed, expected) => {
    const result = resolveNextUpdate(typed, new Date(now), zone);
    expect(result.ok ? result.at.toISOString() : result.rule).toBe(expected);
  });

  it.each([
    ['critical', '2026-11-23T10:02:00Z', '2026-11-23T10:35:00.000Z'],
    ['sev1', '2026-11-23T10:00:00Z', '2026-11-23T10:30:00.000Z'],
    ['error', '2026-11-23T10:02:00Z', '2026-11-23T11:05:00.000Z'],
    [null, '2026-11-23T10:02:00Z', '2026-11-23T11:05:00.000Z'],
  ])('proposes 30 min for critical, 60 otherwise, on a 5-minute mark (%s)', (severity, now, expected) => {
    expect(defaultNextUpdate(new Date(now), severity).toISOString()).toBe(expected);
  });

  it.each([
    ['We disabled it. Next update at 11:00.', 'We disabled it.', '11:00'],
    ['We disabled it. next update by 9.30', 'We disabled it.', '09:30'],
    ['We disabled it. Next update at 11:00 GMT.', 'We disabled it.', '11:00'],
    ['We disabled it.', 'We disabled it.', null],
    ['The next update at noon.', 'The next update at noon.', null],
  ])('splits the clause off %j', (text, body, time) => {
    expect(splitNextUpdateClause(text)).toEqual({ body, time });
  });
});
