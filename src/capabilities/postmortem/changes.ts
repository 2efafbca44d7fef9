// "What changed" between two versions of a draft, in words a reviewer can act on: which
// sections differ, how many timeline lines were added, which metrics moved. Pure.

function sections(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of body.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    out.set(part.slice(0, newline).trim(), part.slice(newline + 1).trim());
  }
  return out;
}

const tableRows = (text: string) => text.split('\n').filter((l) => l.startsWith('| ')).length;

/** Metric name → value cell, from the Metrics table. */
function metricValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const cells = line.split(' | ').map((c) =>
      c
        .replace(/^\|\s*|\s*\|$/g, '')
        .replace(/\*\*/g, '')
        .trim(),
    );
    if (cells[0]?.startsWith('Time to') && cells[1]) out.set(cells[0], cells[1]);
  }
  return out;
}

export function describeChanges(previous: string, next: string): string | null {
  const before = sections(previous);
  const after = sections(next);
  const changes: string[] = [];
  for (const [title, content] of after) {
    const old = before.get(title);
    if (old === undefined) {
      changes.push(`${title} (new section)`);
      continue;
    }
    if (old === content) continue;
    if (title === 'Timeline') {
      const delta = tableRows(content) - tableRows(old);
      changes.push(
        delta
          ? `Timeline (${delta > 0 ? '+' : '−'}${Math.abs(delta)} line${Math.abs(delta) === 1 ? '' : 's'})`
          : 'Timeline',
      );
    } else if (title === 'Metrics') {
      const was = metricValues(old);
      const moved = [...metricValues(content)]
        .filter(([name, value]) => was.get(name) !== value)
        .map(([name, value]) => `${name.toLowerCase()} ${value}, was ${was.get(name) ?? 'not set'}`);
      changes.push(moved.length ? `Metrics (${moved.join('; ')})` : 'Metrics');
    } else changes.push(title);
  }
  for (const title of before.keys()) if (!after.has(title)) changes.push(`${title} (removed)`);
  return changes.length ? `${changes.join('; ')}.` : null;
}
