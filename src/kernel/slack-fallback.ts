// Listeners of last resort. A signed request for a command, button or form that no listener
// of ours handles (an id Failsafe never sent, or one from an older version) would wait out
// Bolt's 3 s and get a 404, which Slack shows as a failure with no words. Instead it is
// answered at once, plainly, and nothing changes. Bolt runs every matching listener, so the
// fallbacks answer only for ids no other listener was registered for.
import type { App } from '@slack/bolt';
import { escapeMrkdwn } from './slack-text.ts';

type Matcher = (id: string) => boolean;
type Kind = 'action' | 'view' | 'command';

const ID_FIELD: Record<Kind, string> = { action: 'action_id', view: 'callback_id', command: 'command' };

function matcherOf(constraint: unknown, kind: Kind): Matcher {
  if (typeof constraint === 'string') return (id) => id === constraint;
  if (constraint instanceof RegExp) return (id) => new RegExp(constraint.source, constraint.flags).test(id);
  const field = (constraint as Record<string, unknown> | null)?.[ID_FIELD[kind]];
  // A constraint without an id (by block or type only) may take any id: count it as known.
  return field === undefined ? () => true : matcherOf(field, kind);
}

export interface KnownListeners {
  known: Record<Kind, Matcher[]>;
  /** Bolt's own methods, so the fallbacks themselves are not recorded as known. */
  register: Pick<App, Kind>;
}

/** Records the id of every action, view and command listener registered on `bolt` from now on. */
export function recordListenerIds(bolt: App): KnownListeners {
  const known: Record<Kind, Matcher[]> = { action: [], view: [], command: [] };
  const register = {
    action: bolt.action.bind(bolt),
    view: bolt.view.bind(bolt),
    command: bolt.command.bind(bolt),
  };
  for (const kind of Object.keys(known) as Kind[]) {
    const original = bolt[kind].bind(bolt) as (constraint: unknown, ...rest: unknown[]) => void;
    (bolt as unknown as Record<Kind, unknown>)[kind] = (constraint: unknown, ...rest: unknown[]) => {
      known[kind].push(matcherOf(constraint, kind));
      original(constraint, ...rest);
    };
  }
  return { known, register };
}

const NOTHING_CHANGED = 'Nothing was changed.';

/** Registers the fallbacks; call after every capability registered its listeners. */
export function registerFallbacks({ known, register }: KnownListeners): void {
  const isKnown = (kind: Kind, id: string) => known[kind].some((m) => m(id));
  register.action(/(?:)/, async ({ action, ack, respond }) => {
    const id = (action as { action_id?: string }).action_id ?? '';
    if (isKnown('action', id)) return;
    await ack();
    // Bolt gives `respond` only when the click came with a response_url; without one the ack is all.
    await (respond as typeof respond | undefined)?.({
      response_type: 'ephemeral',
      replace_original: false,
      text: `This button is not one Failsafe knows, so it did nothing. ${NOTHING_CHANGED}`,
    });
  });
  register.view(/(?:)/, async ({ view, ack }) => {
    if (isKnown('view', view.callback_id)) return;
    await ack({
      response_action: 'update',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Failsafe' },
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `This form is not one Failsafe opened. ${NOTHING_CHANGED}` },
          },
        ],
      },
    });
  });
  register.command(/(?:)/, async ({ command, ack }) => {
    if (isKnown('command', command.command)) return;
    await ack({
      response_type: 'ephemeral',
      text: `Failsafe does not know ${escapeMrkdwn(command.command)}. ${NOTHING_CHANGED}`,
    });
  });
}
