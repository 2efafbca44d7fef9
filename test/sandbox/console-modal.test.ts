// The console's modal form for every input element the app uses: what it draws, what it
// submits (in the shape Slack sends for that element), and where an `errors` answer shows.
import { describe, expect, it } from 'vitest';
import { createConsoleState } from '../../src/sandbox/console-routes.ts';
import { DEFAULT_USERS, type FakeUser, type FakeView } from '../../src/sandbox/fakes/slack-state.ts';
import { readModal, submittedValues } from '../../src/sandbox/modal-view.ts';
import { modalForm } from '../../src/sandbox/page-modal.ts';
import { viewSubmissionBody } from '../../src/sandbox/slack-requests.ts';

const JANE = DEFAULT_USERS.find((u) => u.id === 'U0JANE') as FakeUser;

const input = (block_id: string, label: string, element: Record<string, unknown>) => ({
  type: 'input',
  block_id,
  label: { type: 'plain_text', text: label },
  hint: { type: 'plain_text', text: `${label} <hint>` },
  element,
});

const view: FakeView = {
  id: 'V0TEST',
  triggerId: '1.2.abc',
  hash: 'h',
  updates: 0,
  view: {
    type: 'modal',
    callback_id: 'test',
    private_metadata: JSON.stringify({ user: 'U0JANE' }),
    title: { type: 'plain_text', text: 'Test <modal>' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: '*About* <this>' } },
      input('one', 'One line', { type: 'plain_text_input', action_id: 'one_in', initial_value: 'a "b"' }),
      input('many', 'Many lines', {
        type: 'plain_text_input',
        action_id: 'many_in',
        multiline: true,
        initial_value: '</textarea><b>x</b>',
      }),
      input('when', 'Next update at', { type: 'timepicker', action_id: 'when_in', initial_time: '10:30' }),
      input('pick', 'Pick', { type: 'static_select', action_id: 'pick_in', options: [] }),
    ],
  },
};

describe('the console modal form', () => {
  it('draws text, multiline text and time inputs, escaped, and names what it cannot draw', () => {
    const html = modalForm(view, DEFAULT_USERS, createConsoleState(DEFAULT_USERS, 'C0ALERTS'));
    expect(html).toContain('<b>Test &lt;modal&gt;</b>');
    expect(html).toContain('open for Jane Doe');
    expect(html).toContain('<div class="bk-text"><b>About</b> this</div>');
    expect(html).toMatch(/<input name="one\/one_in" size="60" value="a &quot;b&quot;">/);
    expect(html).toContain(
      '<textarea name="many/many_in" rows="3" cols="60">&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>',
    );
    expect(html).toContain('<input type="time" name="when/when_in" value="10:30">');
    expect(html).toContain('<small>Many lines &lt;hint&gt;</small>');
    expect(html).toContain('The console cannot draw a static_select field');
  });

  it('submits each field in the shape Slack sends for its element type', () => {
    const modal = readModal(view.view);
    if (!modal) throw new Error('not a modal');
    const form = new URLSearchParams({
      'one/one_in': 'x',
      'many/many_in': 'l1\nl2',
      'when/when_in': '11:05',
    });
    const values = submittedValues(modal, form);
    expect(values).toEqual({
      one: { one_in: { type: 'plain_text_input', value: 'x' } },
      many: { many_in: { type: 'plain_text_input', value: 'l1\nl2' } },
      when: { when_in: { type: 'timepicker', selected_time: '11:05' } },
    });
    expect(submittedValues(modal, new URLSearchParams()).when).toEqual({
      when_in: { type: 'timepicker', selected_time: null },
    });
    const body = new URLSearchParams(
      viewSubmissionBody({
        view: { id: view.id, ...view.view },
        values,
        user_id: JANE.id,
        user_name: JANE.name,
        trigger_id: 't',
      }),
    );
    const payload = JSON.parse(body.get('payload') ?? '{}');
    expect(payload.type).toBe('view_submission');
    expect(payload.view.state.values.when.when_in).toEqual({ type: 'timepicker', selected_time: '11:05' });
  });

  it('shows an errors answer next to the field it names, and one for an undrawn block above them', () => {
    const state = createConsoleState(DEFAULT_USERS, 'C0ALERTS');
    state.viewErrors.set(view.id, { when: 'Pick a <later> time', pick: 'Choose one' });
    const html = modalForm(view, DEFAULT_USERS, state);
    expect(html).toMatch(
      /name="when\/when_in" value="10:30"><\/label><br><small>[^<]*<\/small><div class="notice" data-block="when">Pick a &lt;later&gt; time<\/div>/,
    );
    expect(html).toContain('<div class="notice" data-block="pick">Choose one</div>');
  });

  it('keeps what was typed after an errors answer instead of the prefill', () => {
    const state = createConsoleState(DEFAULT_USERS, 'C0ALERTS');
    state.viewErrors.set(view.id, { many: 'Two sentences, please' });
    state.viewValues.set(view.id, { 'many/many_in': 'One. Two. <Three>.', 'when/when_in': '11:45' });
    const html = modalForm(view, DEFAULT_USERS, state);
    expect(html).toContain('>One. Two. &lt;Three&gt;.</textarea>');
    expect(html).toContain('name="when/when_in" value="11:45"');
  });
});
