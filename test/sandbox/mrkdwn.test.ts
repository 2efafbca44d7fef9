// mrkdwn as the console shows it: Slack's formatting, names for mentions, emoji as Unicode,
// and nothing from a message ever becoming markup of its own.
import { describe, expect, it } from 'vitest';
import { mrkdwnToHtml, type SlackNames } from '../../src/sandbox/mrkdwn.ts';

const names: SlackNames = {
  person: (id) => ({ U0JANE: 'Jane Doe' })[id] ?? id,
  channel: (id) => ({ C0STAKE: 'stake' })[id] ?? id,
};
const html = (text: string) => mrkdwnToHtml(text, names);

describe('mrkdwnToHtml', () => {
  it('draws bold, italics, strike and code at word edges only', () => {
    expect(html(':red_circle: *Support bot*: _slow_ ~old~ `ai_support_bot`')).toBe(
      '🔴 <b>Support bot</b>: <i>slow</i> <s>old</s> <code>ai_support_bot</code>',
    );
    expect(html('snake_case_name, 2*3*4, x*y* and foo_bar_ baz')).toBe(
      'snake_case_name, 2*3*4, x*y* and foo_bar_ baz',
    );
  });

  it('keeps code and pre blocks literal: no emoji, no emphasis inside', () => {
    expect(html('`:x: *a*`')).toBe('<code>:x: *a*</code>');
    expect(html('```\nline *1*\nline 2```')).toBe('<pre class="bk-pre">line *1*\nline 2</pre>');
  });

  it('names people and channels, and shows special mentions', () => {
    expect(html('Paged *Jane Doe* (<@U0JANE>) in <#C0STAKE> and <#C0X|inc-7>, <!here>')).toBe(
      'Paged <b>Jane Doe</b> (<span class="bk-mention">@Jane Doe</span>) in ' +
        '<span class="bk-mention">#stake</span> and <span class="bk-mention">#inc-7</span>, ' +
        '<span class="bk-mention">@here</span>',
    );
    expect(html('<@U0NOBODY>')).toBe('<span class="bk-mention">@U0NOBODY</span>');
  });

  it('links http(s) URLs only, label escaped, mrkdwn escapes undone', () => {
    expect(html('<http://x.test/a?b=1&amp;c=2|Acknowledge from your phone>')).toBe(
      '<a href="http://x.test/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">Acknowledge from your phone</a>',
    );
    expect(html('<javascript:alert(1)|click>')).toBe('click');
    expect(html('<https://x.test|&lt;b&gt;hi&lt;/b&gt;>')).toContain('>&lt;b&gt;hi&lt;/b&gt;</a>');
  });

  it('turns quotes and bullet lines into blocks', () => {
    expect(html('Said:\n&gt; rolled back\n&gt; at 03:20\n• one\n• two')).toBe(
      'Said:<blockquote>rolled back<br>at 03:20</blockquote><ul><li>one</li><li>two</li></ul>',
    );
  });

  it('escapes everything else: a message cannot add HTML', () => {
    expect(html('&lt;script&gt;alert(1)&lt;/script&gt; "q" \'s\' & <img src=x onerror=alert(1)>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &#39;s&#39; &amp; img src=x onerror=alert(1)',
    );
    expect(html('\uE0000\uE001 *\uE000*')).not.toMatch(/[\uE000\uE001]/);
  });

  it('leaves an emoji it does not know as typed', () => {
    expect(html(':unleash: :warning:')).toBe(':unleash: ⚠️');
  });
});
