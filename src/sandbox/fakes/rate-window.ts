// The fakes' rate limiting: at most `limit` calls per key in any `windowMs`, answering the
// whole seconds until the oldest call leaves the window (what a Retry-After would say).
export function slidingWindow(limit: number, windowMs: number, now: () => number) {
  const seen = new Map<string, number[]>();
  return (key: string): number | undefined => {
    const recent = (seen.get(key) ?? []).filter((t) => t > now() - windowMs);
    seen.set(key, recent);
    const oldest = recent[0];
    if (recent.length >= limit && oldest !== undefined)
      return Math.max(1, Math.ceil((oldest + windowMs - now()) / 1000));
    recent.push(now());
    return undefined;
  };
}
