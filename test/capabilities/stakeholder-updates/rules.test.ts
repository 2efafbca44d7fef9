// Each rule a stakeholder update must pass, table-driven, on the pure functions behind the modal.
import { describe, expect, it } from 'vitest';
import { findBlame } from '../../../src/capabilities/stakeholder-updates/blame.ts';
import {
  DEFAULT_JARGON,
  findJargon,
  jargonList,
} from '../../../src/capabilities/stakeholder-updates/jargon.ts';
import { findPersonalData } from '../../../src/capabilities/stakeholder-updates/personal-data.ts';
import { splitSentences } from '../../../src/capabilities/stakeholder-updates/sentences.ts';

describe('jargon', () => {
  const list = jargonList();
  // [text, terms found → plain words]
  const cases: Array<[string, Array<[string, string]>]> = [
    ['The p99 went up.', [['p99', 'slowest responses']]],
    ['We saw 5xx from the bot.', [['5xx', 'errors']]],
    ['Lots of 5XX errors.', [['5XX', 'errors']]],
    [
      'The pods hit OOM.',
      [
        ['pods', 'server'],
        ['OOM', 'ran out of memory'],
      ],
    ],
    ['We did a rollback.', [['rollback', 'went back to the previous version']]],
    ['We rolled back the model.', [['rolled back', 'went back to the previous version']]],
    ['We reverted the prompt.', [['reverted', 'went back to the previous version']]],
    ['Latency is high.', [['Latency', 'response time']]],
    ['The LLM answered badly.', [['LLM', 'AI model']]],
    ['The LLMs answered badly.', [['LLMs', 'AI model']]],
    ['Requests had timeouts.', [['timeouts', 'took too long']]],
    ['Answers were slow and wrong.', []],
    ['The bloom filter, a podcast, an upstreamer.', []],
    ['Slow p99 and p99 again.', [['p99', 'slowest responses']]],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(findJargon(text, list).map((h) => [h.found, h.plain])).toEqual(expected);
  });

  it('takes terms and plain words from the catalog, and ~ allows a built-in term', () => {
    const custom = jargonList({ RAG: "the AI's document search", latency: null, p99: 'the slowest 1%' });
    expect(findJargon('RAG latency p99', custom)).toEqual([
      { found: 'RAG', plain: "the AI's document search" },
      { found: 'p99', plain: 'the slowest 1%' },
    ]);
  });

  it('has the defaults the issue asks for', () => {
    expect(DEFAULT_JARGON).toMatchObject({
      p99: 'slowest responses',
      '5xx': 'errors',
      OOM: 'ran out of memory',
      rollback: 'went back to the previous version',
      latency: 'response time',
      LLM: 'AI model',
    });
  });
});

describe('blame', () => {
  const people = ['Jane Doe', 'Sam Lee'];
  const systems = ['AI support bot'];
  const blamed = (text: string) => findBlame(splitSentences(text), { people, systems }).map((h) => h.found);
  // [text, phrases reported]
  const cases: Array<[string, string[]]> = [
    ['After Jane broke the config, answers went wrong.', ['Jane broke']],
    ['Jane Doe forgot to renew the key.', ['Jane Doe forgot']],
    ['Sam caused the outage.', ['Sam caused']],
    ['It started after Priya failed to check the prompt.', ['Priya failed to']],
    ['The deploy by Alex broke refunds.', ['Alex broke']],
    ['This was caused by Priya.', ['caused by Priya']],
    ['It was <@U0JANE>’s fault.', ['<@U0JANE>’s fault']],
    ["It was <@U0JANE>'s fault.", ["<@U0JANE>'s fault"]],
    ['Ask @jane, whose change broke it.', ['Ask @jane, whose change broke it.']],
    ['It was human error.', ['human error']],
    ['An engineer forgot to update it.', ['engineer forgot']],
    ['Someone messed up the rollout.', ['Someone messed up']],
    ["After Jane's change broke search, we disabled it.", ["Jane's change broke"]],
    ['Nobody is to blame.', ['to blame']],
    ['Search failed to load for some users.', []],
    ['The AI support bot failed to answer.', []],
    ['We broke nothing; a bad configuration caused errors.', []],
    ['A model update caused wrong refunds.', []],
    ['Email jane@example.com failed to arrive.', []],
    ['AWS failed to respond.', []],
    ['Users did not see errors.', []],
    ['We disabled the bot at 10:02 after wrong answers increased.', []],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(blamed(text)).toEqual(expected);
  });
});

describe('personal data and secrets', () => {
  // [text, kinds found]
  const cases: Array<[string, string[]]> = [
    ['Contact jane.doe@example.com for details.', ['email']],
    ['Call +44 20 7946 0958 now.', ['phone']],
    ['Call (555) 123-4567.', ['phone']],
    ['Call 555-123-4567.', ['phone']],
    ['Token xoxb-1234567890-abcdefghij leaked.', ['secret']],
    ['Key sk-abcdefghijklmnop1234 was used.', ['secret']],
    ['Hash 0123456789abcdef0123456789abcdef seen.', ['secret']],
    ['Blob QWxhZGRpbjpvcGVuIHNlc2FtZQ1234567890abcd== in logs.', ['secret']],
    ['AWS key AKIAIOSFODNN7EXAMPLE.', ['secret']],
    ['See https://status.example.com/x?token=abc123 now.', ['secret']],
    ['At 10:30 on 2026-11-23 we disabled it.', []],
    ['2026-11-23 10:30 errors rose to 2.5% of 1,200,000 chats.', []],
    ['We went back to v1.2.3 of the model.', []],
    ['See https://status.example.com/incidents/0123456789abcdef0123456789abcdef.', []],
    ['About 1 200 users saw it between 10:30 and 11:00.', []],
    ['Reported by 3 customers in 2 regions.', []],
  ];
  it.each(cases)('%s', (text, kinds) => {
    expect(findPersonalData(text).map((h) => h.kind)).toEqual(kinds);
  });

  it('never repeats a whole secret back', () => {
    const [hit] = findPersonalData('xoxb-1234567890-abcdefghijklmnop');
    expect(hit?.found).toBe('xoxb-123…');
  });
});
