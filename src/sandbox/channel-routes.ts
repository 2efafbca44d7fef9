// What people do in an incident channel, from the console: say something, or react 📌 to a
// message to put it on the incident timeline. The simulated Slack tells the app as Slack
// would, with signed Events API deliveries.
import { z } from 'zod';
import type { Router } from '../http/router.ts';
import { backToConsole, type ConsoleState, readForm } from './console-routes.ts';
import type { DeliveryResult, FakeSlack } from './fakes/slack.ts';
import { consolePost } from './origin.ts';

/** Well inside the console's 16 KiB form limit (Slack itself allows 40,000 characters). */
const TEXT_MAX = 4_000;

const SayForm = z.object({ user: z.string().max(64), text: z.string().trim().min(1).max(TEXT_MAX) });
const PinForm = z.object({ user: z.string().max(64), ts: z.string().regex(/^\d+\.\d+$/) });

type Outcome = { delivery: DeliveryResult | undefined };

function person(slack: FakeSlack, state: ConsoleState, id: string) {
  const user = slack.state.users.find((u) => u.id === id && !u.isBot && !u.deleted);
  if (user) state.userId = user.id;
  return user;
}

/** Null when the app got it (or Slack would not have sent it); else what went wrong. */
function problem(outcome: Outcome): string | null {
  const { delivery } = outcome;
  if (!delivery || delivery.delivered) return null;
  const last = delivery.attempts.at(-1)?.status ?? 'nothing';
  return `Failsafe did not take the ${delivery.attempts[0]?.type ?? 'event'} event (last answer: ${last}).`;
}

async function act(run: () => Promise<Outcome>): Promise<string | null> {
  try {
    return problem(await run());
  } catch (error) {
    return (error as Error).message;
  }
}

export async function say(slack: FakeSlack, state: ConsoleState, channel: string, form: URLSearchParams) {
  const parsed = SayForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return 'Pick a person and type something to say.';
  if (!slack.state.names.has(channel)) return `The sandbox's Slack has no channel ${channel}.`;
  const user = person(slack, state, parsed.data.user);
  if (!user) return `There is no ${parsed.data.user} in the sandbox's Slack.`;
  return act(() => slack.controls.userSays(channel, user.id, parsed.data.text));
}

export async function pin(slack: FakeSlack, state: ConsoleState, channel: string, form: URLSearchParams) {
  const parsed = PinForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return 'Pick a person and a message to pin.';
  const user = person(slack, state, parsed.data.user);
  if (!user) return `There is no ${parsed.data.user} in the sandbox's Slack.`;
  return act(() => slack.controls.react(user.id, channel, parsed.data.ts, 'pushpin'));
}

export function registerChannelRoutes(router: Router, slack: FakeSlack, state: ConsoleState): void {
  consolePost(router, '/sandbox/channel/:id/say', async (req, res, ctx) => {
    state.notice = await say(slack, state, ctx.params.id ?? '', await readForm(req));
    backToConsole(res);
  });
  consolePost(router, '/sandbox/channel/:id/pin', async (req, res, ctx) => {
    state.notice = await pin(slack, state, ctx.params.id ?? '', await readForm(req));
    backToConsole(res);
  });
}
