// A click on a message's button in the console becomes the signed block_actions request Slack
// would send, as the person picked in the console. The button is looked up in the stored
// message by its place, so the form cannot make the app receive a button it never posted.

import type { Router } from '../http/router.ts';
import { ButtonPlaceForm, buttonAt } from './button-place.ts';
import { backToConsole, type ConsoleDeps, type ConsoleState, postToApp, readForm } from './console-routes.ts';
import { consolePost } from './origin.ts';
import { blockActionBody, newTriggerId } from './slack-requests.ts';

/** Null once the app took the click; else what the console shows above the form. */
export async function clickButton(deps: ConsoleDeps, state: ConsoleState, form: URLSearchParams) {
  const parsed = ButtonPlaceForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return 'That button is not one the console drew.';
  const { channel, ts, block, element, user: userId } = parsed.data;
  const user = deps.slack.state.users.find((u) => u.id === userId && !u.isBot && !u.deleted);
  if (!user) return `There is no ${userId} in the sandbox's Slack.`;
  state.userId = user.id;
  const message = deps.slack.state.messages.get(channel)?.find((m) => m.ts === ts);
  const found = message ? buttonAt(message, block, element) : null;
  if (!message || !found) return 'That message or its button is gone (the app may have edited it).';
  const responseUrl = deps.slack.controls.responseUrl();
  const triggerId = newTriggerId();
  // Kept with the commands, so a reply only the clicker sees says which click it answers.
  state.commands.push({
    user,
    command: found.button.text.text,
    text: '',
    responsePath: new URL(responseUrl).pathname,
    triggerId,
    channelId: channel,
    clicked: true,
  });
  const body = blockActionBody({
    action_id: found.button.action_id,
    ...(found.button.value === undefined ? {} : { value: found.button.value }),
    ...(found.blockId === undefined ? {} : { block_id: found.blockId }),
    text: found.button.text.text,
    user_id: user.id,
    user_name: user.name,
    channel_id: channel,
    message: { ts: message.ts, text: message.text, blocks: message.blocks ?? [], ...author(message) },
    response_url: responseUrl,
    trigger_id: triggerId,
  });
  const answer = await postToApp(deps, body);
  return answer.status === 200 ? null : `Failsafe answered ${answer.status || 'nothing'}: ${answer.text}`;
}

const author = (m: { user: string; bot_id?: string }) => ({
  user: m.user,
  ...(m.bot_id ? { bot_id: m.bot_id } : {}),
});

export function registerActionRoutes(router: Router, deps: ConsoleDeps, state: ConsoleState): void {
  consolePost(router, '/sandbox/action', async (req, res) => {
    state.notice = await clickButton(deps, state, await readForm(req));
    backToConsole(res);
  });
}
