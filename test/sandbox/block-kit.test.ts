// Block Kit as the console draws it: the incident message Failsafe posts, block by block.
import { describe, expect, it } from 'vitest';
import { messageHtml } from '../../src/sandbox/block-kit.ts';

const names = { person: (id: string) => (id === 'U0JANE' ? 'Jane Doe' : id), channel: (id: string) => id };

const incidentMessage = {
  text: '[critical] AI support bot: answers wrong',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: ':rotating_light: Incident' } },
    { type: 'section', text: { type: 'mrkdwn', text: ':red_circle: *AI support bot*: answers wrong' } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Status*\nTRIGGERED' },
        { type: 'mrkdwn', text: '*Feature*\n`ai-support-bot`' },
      ],
    },
    { type: 'divider' },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Paged <@U0JANE>' }] },
    {
      type: 'actions',
      block_id: 'incident:1',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Acknowledge' },
          action_id: 'a',
          style: 'primary',
        },
        { type: 'static_select', action_id: 'b' },
      ],
    },
    { type: 'video', title: 'x' },
  ],
};

describe('messageHtml', () => {
  it('draws header, section text and fields, divider, context and buttons', () => {
    const html = messageHtml(incidentMessage, { names });
    expect(html).toContain('<div class="bk-header">🚨 Incident</div>');
    expect(html).toContain('<div class="bk-text">🔴 <b>AI support bot</b>: answers wrong</div>');
    expect(html).toContain(
      '<div class="bk-fields"><div><b>Status</b><br>TRIGGERED</div><div><b>Feature</b><br><code>ai-support-bot</code></div></div>',
    );
    expect(html).toContain('<hr class="bk-divider">');
    expect(html).toContain(
      '<div class="bk-context"><span>Paged <span class="bk-mention">@Jane Doe</span></span></div>',
    );
    expect(html).toContain(
      '<button type="button" class="bk-button bk-primary" disabled>Acknowledge</button>',
    );
  });

  it('names what it cannot draw instead of dropping it', () => {
    const html = messageHtml(incidentMessage, { names });
    expect(html).toContain('[static_select element]');
    expect(html).toContain('<div class="bk-unknown">[video block]</div>');
  });

  it('hands each button its place in the message, for the click to name it', () => {
    const places: string[] = [];
    messageHtml(incidentMessage, {
      names,
      button: (p) => {
        places.push(`${p.blockIndex}/${p.elementIndex}/${p.button.action_id}`);
        return '';
      },
    });
    expect(places).toEqual(['5/0/a']);
  });

  it('draws what a person typed (rich_text) as literal text, mentions and emoji as elements', () => {
    const said = {
      text: 'ignored',
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: '<b>*not bold*</b> ' },
                { type: 'user', user_id: 'U0JANE' },
                { type: 'emoji', name: 'eyes' },
                { type: 'text', text: 'done', style: { bold: true } },
              ],
            },
          ],
        },
      ],
    };
    expect(messageHtml(said, { names })).toBe(
      '<div class="bk-text">&lt;b&gt;*not bold*&lt;/b&gt; <span class="bk-mention">@Jane Doe</span>👀<b>done</b></div>',
    );
  });

  it('shows the mrkdwn text of a message without blocks', () => {
    expect(messageHtml({ text: '*Kill* :white_check_mark:' }, { names })).toBe(
      '<div class="bk-text"><b>Kill</b> ✅</div>',
    );
  });
});
