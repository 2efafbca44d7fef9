// The sentence splitter behind "at most two sentences": what ends a sentence and what only
// looks like it might.
import { describe, expect, it } from 'vitest';
import { countSentences, splitSentences } from '../../../src/capabilities/stakeholder-updates/sentences.ts';

describe('splitSentences', () => {
  // [what, text, sentences]
  const cases: Array<[string, string, string[]]> = [
    ['one sentence', 'We disabled the bot.', ['We disabled the bot.']],
    ['no final full stop', 'We disabled the bot', ['We disabled the bot']],
    ['two sentences', 'We disabled it. No data was lost.', ['We disabled it.', 'No data was lost.']],
    ['question and exclamation', 'Is it back? Yes! It is.', ['Is it back?', 'Yes!', 'It is.']],
    ['e.g.', 'Some answers, e.g. refunds, were wrong.', ['Some answers, e.g. refunds, were wrong.']],
    [
      'e.g. before a capital',
      'Some features, e.g. Search, were slow.',
      ['Some features, e.g. Search, were slow.'],
    ],
    ['i.e.', 'The bot, i.e. the chat assistant, is off.', ['The bot, i.e. the chat assistant, is off.']],
    ['approx.', 'It affected approx. 10% of chats.', ['It affected approx. 10% of chats.']],
    ['approx. before a word', 'It lasted approx. ten minutes.', ['It lasted approx. ten minutes.']],
    ['Dr.', 'Dr. Smith from support confirmed it.', ['Dr. Smith from support confirmed it.']],
    ['Mr. and Ms.', 'Mr. Lee and Ms. Ruiz were told.', ['Mr. Lee and Ms. Ruiz were told.']],
    ['vs.', 'Errors were 3 vs. 1 yesterday.', ['Errors were 3 vs. 1 yesterday.']],
    ['a time', 'We disabled it at 10:30. It is off.', ['We disabled it at 10:30.', 'It is off.']],
    ['a time with seconds', 'Off since 10:30:15 today.', ['Off since 10:30:15 today.']],
    ['3 p.m. mid-sentence', 'We fixed it at 3 p.m. and watched.', ['We fixed it at 3 p.m. and watched.']],
    ['3 p.m. before a zone', 'Fixed at 3 p.m. UTC today.', ['Fixed at 3 p.m. UTC today.']],
    ['3 p.m. ending a sentence', 'Fixed at 3 p.m. The bot is back.', ['Fixed at 3 p.m.', 'The bot is back.']],
    ['a.m. at the end', 'It started at 9 a.m.', ['It started at 9 a.m.']],
    ['a decimal', 'Errors rose to 2.5% of chats.', ['Errors rose to 2.5% of chats.']],
    ['a decimal at the end', 'Errors were 2.5. Now 0.1.', ['Errors were 2.5.', 'Now 0.1.']],
    ['a version', 'We went back to v1.2 of the bot.', ['We went back to v1.2 of the bot.']],
    ['a three-part version', 'Version 1.2.3 is live. All good.', ['Version 1.2.3 is live.', 'All good.']],
    [
      'a URL',
      'See https://status.example.com/inc/42.html for details.',
      ['See https://status.example.com/inc/42.html for details.'],
    ],
    [
      'a URL ending a sentence',
      'Details at https://status.example.com. We are on it.',
      ['Details at https://status.example.com.', 'We are on it.'],
    ],
    ['a domain', 'Users of example.com saw it.', ['Users of example.com saw it.']],
    ['an ellipsis', 'We are looking... More soon.', ['We are looking...', 'More soon.']],
    ['an ellipsis mid-sentence', 'It was slow... then fine.', ['It was slow... then fine.']],
    [
      'closing quote',
      'The bot said "sorry." Then it stopped.',
      ['The bot said "sorry."', 'Then it stopped.'],
    ],
    [
      'closing parenthesis',
      'It is off (for now.) We will say more.',
      ['It is off (for now.)', 'We will say more.'],
    ],
    ['initials', 'J. R. Smith approved it.', ['J. R. Smith approved it.']],
    ['U.S. mid-sentence', 'Only U.S. customers saw it.', ['Only U.S. customers saw it.']],
    ['No. before a number', 'Incident No. 5 is closed.', ['Incident No. 5 is closed.']],
    ['No. as an answer', 'Was data lost? No. We checked.', ['Was data lost?', 'No.', 'We checked.']],
    ['a date abbreviation', 'Since Nov. 23 it is off.', ['Since Nov. 23 it is off.']],
    [
      'etc. ending a sentence',
      'Refunds, orders etc. The bot is off.',
      ['Refunds, orders etc.', 'The bot is off.'],
    ],
    ['a line break', 'Bot is off\nSearch is fine', ['Bot is off', 'Search is fine']],
    ['blank lines and stray dots', 'It is off.\n\n.\n', ['It is off.']],
    ['lower-case after a full stop', 'It is off. because of errors', ['It is off. because of errors']],
    ['empty', '   ', []],
  ];

  it.each(cases)('%s', (_what, text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('counts the template as two sentences', () => {
    expect(
      countSentences(
        'We disabled AI support bot at 10:02 after hallucinated refunds increased. No data loss or personal data exposure confirmed.',
      ),
    ).toBe(2);
  });
});
