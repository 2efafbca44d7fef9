// pins.add for the fake Slack (test/contracts/slack/web-api-openapi-v2.json: channel, timestamp;
// error codes there).
import { type FakeMethod, fail, type MethodContext, resolveChannel, str } from './slack-args.ts';
import { messagesIn, type SlackArgs, type SlackBody } from './slack-state.ts';

function pinsAdd(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = resolveChannel(ctx, args.channel, false);
  if (!channel) return fail('channel_not_found');
  const ts = str(args.timestamp);
  if (!ts) return fail('no_item_specified');
  if (!/^\d+\.\d+$/.test(ts)) return fail('bad_timestamp');
  if (!messagesIn(ctx.state, channel).some((m) => m.ts === ts)) return fail('message_not_found');
  let pinned = ctx.state.pins.get(channel);
  if (!pinned) {
    pinned = new Set();
    ctx.state.pins.set(channel, pinned);
  }
  if (pinned.has(ts)) return fail('already_pinned');
  pinned.add(ts);
  return { ok: true };
}

export const pinMethods: Record<string, FakeMethod> = {
  'pins.add': { handle: pinsAdd },
};
