// The console's own sections of /sandbox: a box to type /ai-kill, /ai-oncall, /ai-incident or
// /ai-update as someone in some channel, the replies only that person would see, the modals
// the app opened (as forms), and the simulated Unleash's flags.
import { z } from 'zod';
import type { ChannelChoice } from './channels.ts';
import type { ConsoleState } from './console-routes.ts';
import type { FakeUser, FakeView, ResponseUrlPost } from './fakes/slack-state.ts';
import type { FakeFlag } from './fakes/unleash.ts';
import { esc } from './page.ts';
import { modalForm } from './page-modal.ts';

const EXAMPLES = [
  '/ai-kill ai-support-bot hallucinated refunds',
  '/ai-kill status',
  '/ai-kill restore ai-support-bot --ramp 10,50,100 --hold 30s',
  '/ai-kill restore ai-support-bot --now',
  '/ai-kill drill ai-support-bot',
  '/ai-oncall',
  '/ai-incident ai-support-bot sev1 Refund answers invent policies',
  '/ai-incident',
  '/ai-incident status',
  '/ai-incident mitigated',
  '/ai-incident resolved',
  '/ai-update',
];
const Reply = z.object({ text: z.string() });

export interface ConsoleView {
  users: FakeUser[];
  /** Where a command can be typed; /ai-incident status and /ai-update want an incident channel. */
  channels: ChannelChoice[];
  state: ConsoleState;
  /** Open modals, newest first. */
  views: FakeView[];
  responses: ResponseUrlPost[];
}

/** The people the console can act as, the current one selected. */
export function personOptions(users: FakeUser[], selected: string): string {
  return users
    .filter((u) => !u.isBot && !u.deleted)
    .map(
      (u) =>
        `<option value="${esc(u.id)}"${u.id === selected ? ' selected' : ''}>${esc(u.realName)} (${esc(u.id)})</option>`,
    )
    .join('');
}

function commandForm(input: ConsoleView): string {
  const { state } = input;
  const channels = input.channels
    .map(
      (c) =>
        `<option value="${esc(c.id)}"${c.id === state.channelId ? ' selected' : ''}>#${esc(c.name)} (${esc(c.id)})</option>`,
    )
    .join('');
  const examples = EXAMPLES.map((e) => `<option value="${esc(e)}"></option>`).join('');
  const notice = state.notice ? `<p class="notice">${esc(state.notice)}</p>` : '';
  return `${notice}<form method="post" action="/sandbox/command">
<label>As <select name="user">${personOptions(input.users, state.userId)}</select></label>
<label>in <select name="channel">${channels}</select></label><br>
<input name="command" list="examples" size="50" required placeholder="${esc(EXAMPLES[0] ?? '')}">
<datalist id="examples">${examples}</datalist> <button type="submit">Send</button></form>`;
}

function replyText(body: unknown): string {
  const parsed = Reply.safeParse(body);
  return parsed.success ? parsed.data.text : JSON.stringify(body);
}

function replies(input: ConsoleView): string {
  return [...input.responses]
    .reverse()
    .map((r) => {
      const sent = input.state.commands.find((c) => c.responsePath === r.path);
      const where = input.channels.find((c) => c.id === sent?.channelId)?.name ?? sent?.channelId;
      const did = sent?.clicked
        ? `clicked <b>${esc(sent.command)}</b>`
        : `typed <code>${esc(`${sent?.command} ${sent?.text}`.trim())}</code>`;
      const who = sent ? `${esc(sent.user.realName)} ${did} in #${esc(where ?? '')}` : 'Reply';
      return `<li>${who} <small>${esc(new Date(r.receivedAt).toISOString())}</small><pre>${esc(replyText(r.body))}</pre></li>`;
    })
    .join('');
}

export function renderConsole(input: ConsoleView): string {
  const modals = input.views.map((v) => modalForm(v, input.users, input.state)).join('');
  const answers = replies(input);
  return `<h2>Type a slash command</h2>
<p>As someone in the simulated Slack: try <code>/ai-kill ai-support-bot hallucinated refunds</code>, or
declare an incident with <code>/ai-incident ai-support-bot sev1 Refund answers invent policies</code>, then
type <code>/ai-incident status</code> or <code>/ai-update</code> in its <code>#inc-…</code> channel.</p>
${commandForm(input)}
${modals ? `<h3>Open modals (${input.views.length})</h3><ul>${modals}</ul>` : ''}
<h3>Replies only they see (${input.responses.length})</h3><ul>${answers || '<li>None yet.</li>'}</ul>`;
}

/** What a flag serves in one environment: OFF, or ON and for which share of users. */
function flagCell(env: FakeFlag['environments'][number]): string {
  if (!env.enabled) return 'OFF';
  const active = env.strategies.filter((s) => !s.disabled);
  const rollouts = active.map((s) =>
    s.name === 'flexibleRollout' ? Number(s.parameters.rollout ?? 100) : 100,
  );
  return `ON ${rollouts.length ? Math.max(...rollouts) : 100}%`;
}

export function renderFlags(flags: FakeFlag[] | null): string {
  if (!flags) return '<h2>Unleash flags</h2><p>Failsafe is using the Unleash at UNLEASH_URL.</p>';
  const environments = [...new Set(flags.flatMap((f) => f.environments.map((e) => e.name)))];
  const head = environments.map((e) => `<th>${esc(e)}</th>`).join('');
  const rows = flags
    .map((f) => {
      const cells = environments.map((name) => {
        const env = f.environments.find((e) => e.name === name);
        return `<td data-env="${esc(name)}">${env ? flagCell(env) : '—'}</td>`;
      });
      return `<tr data-flag="${esc(f.name)}"><td><code>${esc(f.name)}</code></td><td>${esc(f.project)}</td>${cells.join('')}</tr>`;
    })
    .join('');
  return `<h2>Unleash flags (simulated)</h2>
<table><tr><th>Flag</th><th>Project</th>${head}</tr>${rows || '<tr><td colspan="2">No flags.</td></tr>'}</table>`;
}
