// An incident from the sandbox console, as a new user tries it after `npm start` with nothing
// configured: declare one as Jane, watch its channel open with the pinned summary, talk and
// pin there, ask for the status, and post a stakeholder update through the /ai-update modal —
// all through plain HTTP to /sandbox, with no Slack.
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';
import { useSandboxConsole } from './console-process.ts';

const JANE = 'U0JANE';
const sandbox = useSandboxConsole('failsafe-console-incident-');
const { page, postForm } = sandbox;

const typeAsJane = (command: string, channel?: string) =>
  postForm('/sandbox/command', { user: JANE, command, ...(channel ? { channel } : {}) });

/** The console's section for one incident channel. */
const channelSection = (html: string, id: string) =>
  new RegExp(`<section class="channel" data-channel="${id}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';

const notice = (html: string) => /<p class="notice">([^<]*)<\/p>/.exec(html)?.[1] ?? null;

/** What the browser would submit for a field the page escaped. */
const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('an incident from the sandbox console', () => {
  let channel = '';

  it('declares an incident whose channel opens with Jane in it and the summary pinned', async () => {
    const before = await page();
    expect(before).toContain(
      '<option value="/ai-incident ai-support-bot sev1 Refund answers invent policies">',
    );
    expect(before).toMatch(/<select name="channel"><option value="C0ALERTS" selected>#alerts \(C0ALERTS\)/);

    await typeAsJane('/ai-incident ai-support-bot sev1 Refund answers invent policies');
    const opened = await waitUntil(
      page,
      (html) => {
        const id = /<section class="channel" data-channel="([^"]+)"><h3>#inc-/.exec(html)?.[1];
        const section = id ? channelSection(html, id) : '';
        return (
          /Members: <span class="members">[^<]*Jane Doe/.test(section) && section.includes('📌 <i>pinned</i>')
        );
      },
      { what: 'the incident channel on /sandbox', timeoutMs: 30_000 },
    );
    expect(opened).toMatch(/Jane Doe typed <code>\/ai-incident ai-support-bot sev1 [^<]*<\/code> in #alerts/);
    channel =
      /<section class="channel" data-channel="([^"]+)"><h3>#inc-\d{8}-ai-support-bot-\d+ /.exec(
        opened,
      )?.[1] ?? '';
    const section = channelSection(opened, channel);
    expect(section).toMatch(
      /📌 <i>pinned<\/i> <b>Failsafe \(app\)<\/b>[\s\S]*Incident #\d+ — AI support bot/,
    );
    expect(section).toContain('Refund answers invent policies');
    // The new channel can be picked to type commands in.
    expect(opened).toMatch(new RegExp(`<option value="${channel}">#inc-[^<]+ \\(${channel}\\)</option>`));
  }, 45_000);

  it('says something in the channel and pins it to the timeline', async () => {
    await postForm(`/sandbox/channel/${channel}/say`, {
      user: JANE,
      text: 'Rolled back the prompt at 03:20',
    });
    const said = channelSection(await page(), channel);
    const item = /<li data-ts="([\d.]+)"><b>Jane Doe<\/b>[\s\S]*?Rolled back the prompt at 03:20/.exec(said);
    expect(item, said).not.toBeNull();
    const ts = item?.[1] as string;

    await postForm(`/sandbox/channel/${channel}/pin`, { user: JANE, ts });
    const pinned = await page();
    expect(notice(pinned)).toBeNull();
    expect(channelSection(pinned, channel)).toMatch(
      new RegExp(`<li data-ts="${ts}"><b>Jane Doe</b>[^\\n]*reacted: 📌 Jane Doe`),
    );
  });

  it('escapes what people say', async () => {
    await postForm(`/sandbox/channel/${channel}/say`, { user: JANE, text: '<img src=x onerror=alert(1)>' });
    const html = await page();
    expect(channelSection(html, channel)).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
  });

  it('posts the summary for /ai-incident status typed in the incident channel', async () => {
    const summaries = (html: string) =>
      channelSection(html, channel).match(/Incident #\d+ — AI support bot/g);
    await typeAsJane('/ai-incident status', channel);
    const html = await waitUntil(page, (h) => (summaries(h)?.length ?? 0) >= 2, {
      what: 'the status summary in the incident channel',
    });
    expect(notice(html)).toBeNull();
    // Posted for everyone in the channel, not pinned: only the opening summary is.
    expect(channelSection(html, channel).match(/📌 <i>pinned<\/i>/g)).toHaveLength(1);
  });

  it('posts a stakeholder update through the /ai-update modal', async () => {
    await typeAsJane('/ai-update', channel);
    const withModal = await waitUntil(page, (html) => html.includes('Stakeholder update</b>'), {
      what: 'the /ai-update modal on /sandbox',
    });
    const viewId = /action="\/sandbox\/view\/([^"]+)">\s*<b>Stakeholder update<\/b>/.exec(withModal)?.[1];
    expect(viewId).toBeTruthy();
    const text = /<textarea name="update_text\/update_text_input"[^>]*>([^<]*)<\/textarea>/.exec(
      withModal,
    )?.[1];
    expect(text).toMatch(/^We are investigating refund answers invent policies in AI support bot/);
    const next = /name="next_update\/next_update_input"[^>]* value="(\d\d:\d\d)"/.exec(withModal)?.[1];
    expect(next).toBeTruthy();

    // A broken rule comes back next to its field, and the modal stays open.
    await postForm(`/sandbox/view/${viewId}`, {
      action: 'submit',
      'update_text/update_text_input': unescapeHtml(text as string),
      'next_update/next_update_input': '25:99',
    });
    const refused = await page();
    expect(refused).toMatch(/data-block="next_update">&quot;25:99&quot; is not a time/);
    // And what was typed stays in the field, as in Slack, instead of the prefill coming back.
    expect(refused).toMatch(/name="next_update\/next_update_input"[^>]* value="25:99"/);
    await postForm(`/sandbox/view/${viewId}`, {
      action: 'submit',
      'update_text/update_text_input': unescapeHtml(text as string),
      'next_update/next_update_input': next as string,
    });
    const posted = await waitUntil(
      page,
      (html) =>
        /<li class="slack-message" data-channel="C0STAKE"[^>]*><b>#stake<\/b>(?:(?!<\/li>)[\s\S])*We are investigating refund answers/.test(
          html,
        ),
      { what: 'the update in #stake on /sandbox', timeoutMs: 30_000 },
    );
    expect(notice(posted)).toBeNull();
    expect(posted).not.toContain(`action="/sandbox/view/${viewId}"`);
  }, 45_000);

  it('drafts the postmortem into the incident channel', async () => {
    await typeAsJane('/ai-postmortem', channel);
    await waitUntil(page, (html) => channelSection(html, channel).includes('Postmortem draft v1'), {
      what: 'the postmortem summary in the incident channel on /sandbox',
      timeoutMs: 30_000,
    });
  });
});
