// Slack's emoji shortcodes as Unicode, for the console to show messages as Slack does. Only the
// codes Failsafe writes (grep src for `:[a-z_]+:`) and the reactions people add in the console;
// an unknown code stays as typed, which is what Slack shows for an emoji it lacks too.
const EMOJI: Readonly<Record<string, string>> = {
  alarm_clock: '⏰',
  arrow_up_small: '🔼',
  chart_with_upwards_trend: '📈',
  eyes: '👀',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  large_blue_circle: '🔵',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  loudspeaker: '📢',
  memo: '📝',
  no_entry: '⛔',
  octagonal_sign: '🛑',
  pushpin: '📌',
  red_circle: '🔴',
  rotating_light: '🚨',
  ticket: '🎫',
  unlock: '🔓',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
};

/** The Unicode for a shortcode's name (without colons), or undefined when the map lacks it. */
export const emojiFor = (name: string): string | undefined => EMOJI[name];

/** Every `:name:` the map knows replaced by its emoji; the rest left as typed. */
export function replaceEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (code, name: string) => EMOJI[name] ?? code);
}
