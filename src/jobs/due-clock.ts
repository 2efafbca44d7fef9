// When pg-boss workers fetch. New jobs wake their queue's workers by NOTIFY at once; the only
// reason to poll is a deferred job (a retry, a hold, a reminder) coming due. Letting every
// worker poll for that cost ~20 queues × 2 workers a query each per interval, idle or not, and
// still started a deferred job up to a whole interval late. Instead one query per interval asks
// which queues have a job due before the next one, and a timer wakes that queue's worker at the
// job's time; a job deferred by this process gets its timer when it is sent.

const MERGE_MS = 20;

export interface DueClock {
  /** Wake `queue`'s worker `inMs` from now (requests within a few ms of each other are one). */
  wakeIn(queue: string, inMs: number): void;
  stop(): void;
}

export interface DueClockOptions {
  /** One query: queues with a job due within `withinMs`, and how soon. */
  dueWithin(withinMs: number): Promise<{ name: string; inMs: number }[]>;
  wake(queue: string): void;
  intervalMs: number;
  onError(error: unknown): void;
}

export function startDueClock(options: DueClockOptions): DueClock {
  // Per queue, the times a worker is to be woken. A wake within MERGE_MS of one already set
  // adds nothing: the worker woken then fetches every job due by then, one after another.
  const timers = new Map<string, Map<number, NodeJS.Timeout>>();
  let stopped = false;

  function wakeIn(queue: string, inMs: number): void {
    if (stopped) return;
    const delay = Math.max(0, inMs);
    const at = Date.now() + delay;
    let set = timers.get(queue);
    if (!set) {
      set = new Map();
      timers.set(queue, set);
    }
    for (const t of set.keys()) if (Math.abs(t - at) <= MERGE_MS) return;
    const own = set;
    const timer = setTimeout(() => {
      own.delete(at);
      options.wake(queue);
    }, delay);
    timer.unref();
    own.set(at, timer);
  }

  async function scan(): Promise<void> {
    try {
      // Past the next scan a little, so a job due just after it is not left to the one after.
      for (const due of await options.dueWithin(options.intervalMs + 1_000)) wakeIn(due.name, due.inMs);
    } catch (error) {
      options.onError(error);
    }
  }

  const interval = setInterval(() => void scan(), options.intervalMs);
  interval.unref();
  void scan();
  return {
    wakeIn,
    stop() {
      stopped = true;
      clearInterval(interval);
      for (const set of timers.values()) for (const timer of set.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
