// The fake workspace's conversations: creating the state, registering channels with their
// names, members and privacy, and the channel_type events report.
import { DEFAULT_USERGROUPS, FAKE_BOT, type FakeSlackState, type FakeUser } from './slack-state.ts';

/** The listed channels are public, with the bot and every (active, human) user as members. */
export function createState(users: FakeUser[], channels: string[]): FakeSlackState {
  const state: FakeSlackState = {
    calls: [],
    messages: new Map(),
    ephemeral: [],
    responses: [],
    users: users.map((user) => ({ ...user })),
    channels: new Set(),
    views: [],
    usergroups: new Map(Object.entries(DEFAULT_USERGROUPS)),
    members: new Map(),
    names: new Map(),
    channelMeta: new Map(),
    pins: new Map(),
    deliveries: [],
  };
  const people = users.filter((user) => !user.isBot && !user.deleted).map((user) => user.id);
  for (const id of channels) addChannel(state, id, { members: [FAKE_BOT.userId, ...people] });
  return state;
}

export interface NewChannel {
  name?: string;
  isPrivate?: boolean;
  creator?: string;
  /** Default: just the bot (the fake assumes the app was invited where it is pointed). */
  members?: Iterable<string>;
}

/** Registers a conversation; one the fake already knows is left as it is. */
export function addChannel(state: FakeSlackState, id: string, init: NewChannel = {}): void {
  if (state.channels.has(id)) return;
  state.channels.add(id);
  // C0ALERTS → "alerts": readable names for the tests' made-up ids.
  state.names.set(id, init.name ?? id.replace(/^[CGD]0?/, '').toLowerCase());
  state.members.set(id, new Set(init.members ?? [FAKE_BOT.userId]));
  state.channelMeta.set(id, {
    isPrivate: init.isPrivate ?? id.startsWith('G'),
    created: Math.floor(Date.now() / 1000),
    creator: init.creator ?? FAKE_BOT.userId,
  });
}

export function membersOf(state: FakeSlackState, channel: string): Set<string> {
  let members = state.members.get(channel);
  if (!members) {
    members = new Set();
    state.members.set(channel, members);
  }
  return members;
}

/** The Events API's channel_type: private channels are `group` whatever their id's prefix. */
export function channelType(state: FakeSlackState, channel: string): 'channel' | 'group' | 'im' {
  if (channel.startsWith('D')) return 'im';
  return channel.startsWith('G') || state.channelMeta.get(channel)?.isPrivate ? 'group' : 'channel';
}
