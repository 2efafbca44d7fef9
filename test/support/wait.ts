// Waits for a condition that lives in the database, where there is no event to await:
// polls quickly until it holds or the deadline passes, then fails with the last value.
export async function waitUntil<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 20, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!holds(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await read();
  }
  return last;
}
