// /ai-kill without Unleash: one small listener that answers what the command would have
// checked first (help, unknown features) and then says what to configure.
import type {
  AllMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { hasKillSwitch } from '../../config/catalog.ts';
import type { AppDeps } from '../../deps.ts';
import { parseKillCommand } from './command.ts';
import { REASON_BLOCK } from './kill-modal.ts';

export const NOT_CONNECTED =
  'Failsafe is not connected to Unleash: set UNLEASH_URL and UNLEASH_ADMIN_TOKEN (and UNLEASH_CLIENT_TOKEN to verify kills).';

export async function onKillWithoutUnleash(
  deps: Pick<AppDeps, 'catalog'>,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const cmd = parseKillCommand(command.text);
  if (cmd.kind === 'help') {
    await respond({ response_type: 'ephemeral', text: cmd.message });
    return;
  }
  const flagged = deps.catalog.catalog.features.filter(hasKillSwitch);
  const known = flagged.map((f) => `\`${f.key}\``).join(', ') || 'none (no feature has an `unleash` block)';
  const feature = cmd.featureKey ? deps.catalog.featureByKey(cmd.featureKey) : null;
  const text =
    cmd.featureKey && !feature
      ? `Unknown feature \`${cmd.featureKey}\`. Features with a kill switch: ${known}.`
      : NOT_CONNECTED;
  await respond({ response_type: 'ephemeral', text });
}

/** A kill or restore form submitted while Unleash is not configured: it changes nothing, and says so. */
export async function onKillFormWithoutUnleash({
  ack,
  view,
}: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> {
  const hasReason = Boolean(view.state.values[REASON_BLOCK]);
  await ack(hasReason ? { response_action: 'errors', errors: { [REASON_BLOCK]: NOT_CONNECTED } } : undefined);
}
