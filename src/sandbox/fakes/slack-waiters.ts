// Lets tests await the fake's state instead of sleeping: a check runs now and again after
// every change the fake makes (a request answered, a delivery recorded).
export interface Waiters {
  /** Re-run every pending check; call after the state changed. */
  notify(): void;
  /** Resolves with the first value `find` returns; rejects after `timeoutMs` naming `what`. */
  waitFor<T>(what: string, find: () => T | undefined, timeoutMs?: number): Promise<T>;
}

export function createWaiters(describeState: () => string): Waiters {
  const waiters = new Set<() => void>();
  return {
    notify() {
      for (const wake of waiters) wake();
    },
    waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = find();
          if (found === undefined) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Slack: no ${what} within ${timeoutMs} ms; ${describeState()}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
