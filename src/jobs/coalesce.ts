// One job per key per time window, however many callers ask for it: a storm of alerts or a
// burst of changes edits a message once per window. The job waits out its window, so it runs
// after every change made inside it is committed and shows the last of them.
import type { Clock } from '../kernel/clock.ts';
import type { JobData, JobName } from './map.ts';
import type { Queue } from './queue.ts';

export async function enqueueOncePerWindow<N extends JobName>(
  deps: { clock: Clock; queue: Pick<Queue, 'enqueue'> },
  name: N,
  key: string,
  data: JobData<N>,
  windowMs: number,
): Promise<void> {
  const window = Math.floor(deps.clock.now().getTime() / windowMs);
  await deps.queue.enqueue(name, `${key}:${window}`, data, { delayMs: windowMs, once: true });
}
