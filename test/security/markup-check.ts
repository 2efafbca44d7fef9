// What "live markup" means in a rendered Slack message or Markdown file, for the markup table
// test: each check returns the offending pieces, so a failure shows exactly what leaked.

/** Hostile strings: each was (or could be) turned into a live mention, link or tag. */
export const HOSTILE = [
  '<!here>',
  '<!channel>',
  '<!everyone>',
  '<@U123>',
  '<@U123|jane>',
  '<#C123>',
  '<#C123|general>',
  '<!subteam^S1>',
  '<!subteam^S1|@admins>',
  '<https://evil.example|click>',
  '<http://evil.example/a|Alert source>',
  'https://evil.example/phish|Alert source> <!here> <https://x',
  'javascript:alert(1)',
  '&lt;!channel&gt;',
  '&lt;https://evil.example|click&gt;',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '![i](http://evil/img)',
  '[click](https://evil.example)',
  'line one\n[ref]: javascript:alert(1)\n# Heading',
  '`code` ``` <!here> ```',
  '<<!here>>',
  '<!here|here>',
] as const;

/** Ids the fixtures (the example catalog, the fakes) use: all are U0…, C0…, S0…. */
const FIXTURE_ID = /^[UCSW]0[A-Z0-9]+$/;

/** Labels Failsafe itself gives links; a link labelled anything else came from input. */
const OUR_LABELS = new Set([
  'Alert source',
  'PagerDuty incident',
  'incident',
  'download',
  'Acknowledge from your phone',
  'Resolve from your phone',
]);
const ourLabel = (label: string) =>
  OUR_LABELS.has(label) || /^(?:postmortem-incident-\d+-v\d+\.md|draft v\d+)$/.test(label);

/** Every `<…>` sequence Slack would act on that Failsafe did not put there on purpose. */
export function liveMrkdwn(text: string): string[] {
  const problems: string[] = [];
  for (const [token, inner = ''] of text.matchAll(/<([^<>]*)>/g)) {
    const mention = /^(?:[@#]|!subteam\^)([A-Z0-9]+)(?:\|[^|]*)?$/.exec(inner);
    if (mention) {
      if (!FIXTURE_ID.test(mention[1] ?? '')) problems.push(token);
      continue;
    }
    const link = /^(https?:\/\/[^|\s]+)\|([^|]*)$/.exec(inner);
    if (link && ourLabel(link[2] ?? '') && isHttpUrl(link[1] ?? '')) continue;
    if (/^https?:\/\/[^|\s]+$/.test(inner) && isHttpUrl(inner)) continue;
    problems.push(token);
  }
  return problems;
}

/** Every string Slack renders as mrkdwn in a message or view (plain_text and inputs excluded). */
export function mrkdwnStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(mrkdwnStrings);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (obj.type === 'plain_text') return [];
    return Object.entries(obj)
      .filter(([key]) => !['initial_value', 'private_metadata', 'placeholder'].includes(key))
      .flatMap(([, v]) => mrkdwnStrings(v));
  }
  return [];
}

/** HTML, images, links Failsafe did not make, and link definitions: what Markdown would act on. */
export function liveMarkdown(markdown: string): string[] {
  const problems: string[] = [];
  // A code span is literal in CommonMark: what is inside it is shown, never acted on.
  const md = markdown.replace(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
  for (const [m] of md.matchAll(/<[A-Za-z!?/][^>\n]*>?/g)) problems.push(`html ${m}`);
  for (const [m] of md.matchAll(/!\[[^\]\n]*\]/g)) problems.push(`image ${m}`);
  for (const [m, label] of md.matchAll(/\[([^\]\n]*)\]\(([^)\n]*)\)?/g))
    if (label !== 'PagerDuty incident' || !/\]\(https?:\/\//.test(m)) problems.push(`link ${m}`);
  for (const [m] of md.matchAll(/^ {0,3}\[[^\]\n]+\]:.*$/gm)) problems.push(`definition ${m}`);
  return problems;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw.replace(/&amp;/g, '&'));
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.href === raw.replace(/&amp;/g, '&');
  } catch {
    return false;
  }
}
