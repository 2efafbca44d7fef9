// A modal the app opened, drawn as an HTML form: its texts, one field per input block (text,
// multiline text, time), and the app's `errors` answer next to the field it names.
import type { ConsoleState } from './console-routes.ts';
import type { FakeUser, FakeView } from './fakes/slack-state.ts';
import { DRAWN_ELEMENTS, fieldName, type ModalInput, readModal } from './modal-view.ts';
import { mrkdwnToHtml } from './mrkdwn.ts';
import { esc } from './page.ts';

const userName = (users: FakeUser[], id: string) => users.find((u) => u.id === id)?.realName ?? id;

function control(input: ModalInput, typed: string | undefined): string {
  const name = esc(fieldName(input));
  const value = esc(typed ?? input.initialValue);
  const placeholder = input.placeholder ? ` placeholder="${esc(input.placeholder)}"` : '';
  if (input.element === 'timepicker') {
    return `<input type="time" name="${name}" value="${value}"${placeholder}>`;
  }
  if (!DRAWN_ELEMENTS.has(input.element)) {
    return `<span class="notice">The console cannot draw a ${esc(input.element)} field; it is left out.</span>`;
  }
  const max = input.maxLength ? ` maxlength="${input.maxLength}"` : '';
  return input.multiline
    ? `<textarea name="${name}" rows="3" cols="60"${max}${placeholder}>${value}</textarea>`
    : `<input name="${name}" size="60"${max}${placeholder} value="${value}">`;
}

function inputField(input: ModalInput, error: string | undefined, typed: string | undefined): string {
  const hint = input.hint ? `<br><small>${esc(input.hint)}</small>` : '';
  const problem = error ? `<div class="notice" data-block="${esc(input.blockId)}">${esc(error)}</div>` : '';
  const label = `${esc(input.label)}${input.optional ? ' (optional)' : ''}`;
  return `<div><label>${label}<br>${control(input, typed)}</label>${hint}${problem}</div>`;
}

/** Errors naming a block the form does not show: still worth seeing. */
function strayErrors(errors: Record<string, string>, inputs: ModalInput[]): string {
  return Object.entries(errors)
    .filter(([block]) => !inputs.some((i) => i.blockId === block))
    .map(
      ([block, text]) => `<div class="notice" data-block="${esc(block)}">${esc(block)}: ${esc(text)}</div>`,
    )
    .join('');
}

export function modalForm(view: FakeView, users: FakeUser[], state: ConsoleState): string {
  const modal = readModal(view.view);
  if (!modal) return '';
  const errors = state.viewErrors.get(view.id) ?? {};
  const typedBy = state.commands.find((c) => c.triggerId === view.triggerId)?.user.id;
  const owner = modal.user ?? typedBy;
  // Section texts are mrkdwn, drawn as Slack draws them (names from the workspace's people).
  const names = { person: (id: string) => userName(users, id), channel: (id: string) => id };
  const sections = modal.sections.map((s) => `<div class="bk-text">${mrkdwnToHtml(s, names)}</div>`).join('');
  // After an errors answer the form shows what was typed, as Slack does, not the prefill again.
  const typed = state.viewValues.get(view.id) ?? {};
  const inputs = modal.inputs.map((i) => inputField(i, errors[i.blockId], typed[fieldName(i)])).join('');
  return `<li class="modal"><form method="post" action="/sandbox/view/${encodeURIComponent(view.id)}">
<b>${esc(modal.title)}</b> <small>modal ${esc(view.id)}${owner ? `, open for ${esc(userName(users, owner))}` : ''}</small>
${sections}${strayErrors(errors, modal.inputs)}${inputs}
<div><button type="submit" name="action" value="submit">${esc(modal.submit)}</button>
<button type="submit" name="action" value="cancel" formnovalidate>${esc(modal.close)}</button></div></form></li>`;
}
