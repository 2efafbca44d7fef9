// The blameless check, table by table: what reads as pinning the incident on a person (with
// the rewrite it suggests), and what must stay unflagged because it is about a system.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLAME_RULES, toSimplePast } from '../../../src/capabilities/postmortem/blame-rules.ts';
import { createBlameChecker, splitSentences } from '../../../src/capabilities/postmortem/blameless.ts';
import {
  applyLanguageFile,
  LANGUAGE_FILE,
  loadLanguageRules,
} from '../../../src/capabilities/postmortem/language-file.ts';

const checker = createBlameChecker(DEFAULT_BLAME_RULES, ['Jane Doe', 'Sam Lee']);

describe('sentences that assign blame to a person', () => {
  it.each([
    ["It was Jane's fault.", "Jane's fault", 'It was a gap in the process.'],
    ['This is her own mistake.', 'her own mistake', 'This is a gap in the process.'],
    [
      'Sam should have checked the rollout before 100%.',
      'Sam should have checked the rollout before 100%',
      'Nothing in the process made sure someone checked the rollout before 100%.',
    ],
    [
      'jane should have known better than to ship on Friday.',
      'jane should have known better than to ship on Friday',
      'Nothing in the process made sure someone knew better than to ship on Friday.',
    ],
    [
      '[on-call engineer] should have run the canary',
      '[on-call engineer] should have run the canary',
      'Nothing in the process made sure someone ran the canary',
    ],
    [
      'Jane forgot to renew the certificate.',
      'Jane forgot to renew the certificate',
      'Nothing prompted anyone to renew the certificate.',
    ],
    [
      'Somebody forgot to update the runbook.',
      'Somebody forgot to update the runbook',
      'Nothing prompted anyone to update the runbook.',
    ],
    ['The root cause was human error.', 'human error', 'The root cause was a gap in our safeguards.'],
    ['<@U0SAM> broke the config.', '<@U0SAM> broke', 'A change broke the config.'],
    [
      'The outage was caused by Sam.',
      'caused by Sam',
      'The outage was caused by a change that nothing caught.',
    ],
    ["He didn't run the evals.", "He didn't run the evals", 'Nothing prompted anyone to run the evals.'],
    [
      'The on-call engineer missed the first alert.',
      'The on-call engineer missed the first alert',
      'The first alert went unnoticed.',
    ],
    ['Whose fault was this?', 'Whose fault', 'Say what failed and what would catch it next time, not who.'],
    [
      'A careless rollout of the prompt.',
      'careless',
      'Drop the judgement; say what happened and what made it easy to happen.',
    ],
    [
      'Sam Lee failed to page the owner',
      'Sam Lee failed to page the owner',
      'Nothing prompted anyone to page the owner',
    ],
  ])('%s', (sentence, found, suggestion) => {
    const [finding, ...rest] = checker.check(sentence);
    expect(rest).toEqual([]);
    expect(finding?.found).toBe(found);
    expect(finding?.suggestion).toBe(suggestion);
  });

  it('reports every blaming phrase of one sentence, rewriting what it can and advising on the rest', () => {
    const [finding] = checker.check(
      '[on-call engineer] should have caught that in review, careless rollout honestly',
    );
    expect(finding?.found).toBe('[on-call engineer] should have caught that in review”, “careless');
    expect(finding?.suggestion).toBe(
      'Nothing in the process made sure someone caught that in review, careless rollout honestly — Drop the judgement; say what happened and what made it easy to happen.',
    );
  });
});

describe('sentences about systems, left alone', () => {
  it.each([
    'The fault injector was still enabled in staging.',
    'The replica should have failed over within 30 s.',
    'Postgres should have failed over, but the health check passed.',
    'Search failed to load for 12% of users.',
    'The retry job failed to start after the deploy.',
    'The model forgot to cite its sources in 8% of answers.',
    'Fault tolerance of the gateway held.',
    "It is nobody's fault; the limit was never documented.",
    'We should have had an alert for this.',
    'The on-call engineer acknowledged the page from Slack.',
    'Lazy loading of the index delayed the first answers.',
    'Default timeouts were too long.',
    'Jane rolled back the config at 09:46.',
    'The provider did not return errors, only timeouts.',
  ])('%s', (sentence) => {
    expect(checker.check(sentence)).toEqual([]);
  });
});

describe('splitting text into sentences', () => {
  it.each([
    ['One. Two! Three?', ['One.', 'Two!', 'Three?']],
    [
      'Error rate 2.5% at 10:30. Rolled back v1.2.3 e.g. the prompt.',
      ['Error rate 2.5% at 10:30.', 'Rolled back v1.2.3 e.g. the prompt.'],
    ],
    ['line one\nline two', ['line one', 'line two']],
  ])('%s', (text, sentences) => {
    expect(splitSentences(text)).toEqual(sentences);
  });
});

describe('the word list is configurable', () => {
  it('adds phrases and switches built-in rules off', () => {
    const rules = applyLanguageFile({
      disable: ['judgement'],
      phrases: [
        { phrase: 'threw under the bus', advice: 'Say what failed.', rewrite: 'left without support' },
      ],
    });
    const custom = createBlameChecker(rules);
    expect(custom.check('A careless rollout.')).toEqual([]);
    expect(custom.check('They threw Sam under the bus.')).toEqual([]);
    expect(custom.check('Ops threw under the bus the new hire.')[0]?.suggestion).toBe(
      'Ops left without support the new hire.',
    );
  });

  it('refuses unknown rule ids and unknown keys', () => {
    expect(() => applyLanguageFile({ disable: ['nope'] })).toThrow('no built-in rule nope');
    expect(() => applyLanguageFile({ words: [] })).toThrow();
  });
});

describe('simple past for suggestions', () => {
  it.each([
    ['checked the rollout', 'checked the rollout'],
    ['known', 'knew'],
    ['run the tests', 'ran the tests'],
    ['seen the graph', 'saw the graph'],
  ])('%s', (phrase, past) => expect(toSimplePast(phrase)).toBe(past));
});

describe('postmortem-language.yml beside the catalog', () => {
  const dirWith = async (text: string | null) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'failsafe-language-'));
    if (text !== null) await writeFile(path.join(dir, LANGUAGE_FILE), text);
    return path.join(dir, 'failsafe.yml');
  };

  it('is optional: without it, the built-in list', async () => {
    expect(await loadLanguageRules(await dirWith(null))).toEqual({
      rules: DEFAULT_BLAME_RULES,
      problem: null,
    });
  });

  it('extends the list', async () => {
    const loaded = await loadLanguageRules(await dirWith('phrases:\n  - phrase: thrown under the bus\n'));
    expect(loaded.problem).toBeNull();
    expect(createBlameChecker(loaded.rules).check('Ops got thrown under the bus.')).toHaveLength(1);
  });

  it('when broken, says where and falls back to the built-in list', async () => {
    const loaded = await loadLanguageRules(await dirWith('disable: [careless]\n'));
    expect(loaded.problem).toMatch(/postmortem-language\.yml: disable: no built-in rule careless$/);
    expect(loaded.rules).toEqual(DEFAULT_BLAME_RULES);
  });
});
