// The durable queue for outbound side effects, on pg-boss in the app's own database.
// pg-boss stores and leases jobs; the retry policy is ours (full-jitter back-off with the
// upstream's Retry-After as a floor), carried out by sending the next attempt as a new job
// with a deterministic id. Every job id derives from an idempotency key, so sending the
// same effect twice, from any replica, stores it once.
//
// One retry layer: a failed attempt is retried only by the envelope below. pg-boss's own
// retry is the lease: it re-delivers a job only when its worker died (the job expired) or the
// next attempt could not be stored, and then the same attempt runs again.
import { PgBoss } from 'pg-boss';
import { UpstreamError } from '../adapters/http.ts';
import { queuesDueWithin } from '../store/due-jobs.ts';
import { DEFAULT_BACKOFF, nextDelayMs } from './backoff.ts';
import { type DueClock, startDueClock } from './due-clock.ts';
import { jobIdFor } from './job-id.ts';
import { type JobData, JobMap, type JobName } from './map.ts';
import type { EnqueueOptions, JobContext, JobDefinition, JobSpec, QueueOptions } from './types.ts';

interface Envelope {
  key: string;
  attempt: number;
  data: unknown;
}

/**
 * How often the due clock asks which queues have a deferred job (a retry, an ack timeout, a ramp
 * step) coming due; the job itself starts on time, woken by a timer (src/jobs/due-clock.ts).
 */
export const DEFAULT_POLL_SECONDS = 5;

/**
 * A worker's own fetch when nothing woke it: only a safety net for a lost NOTIFY or a failed
 * due-clock query, so it can be rare (every worker of every queue pays it, idle or not).
 */
const WORKER_FALLBACK_POLL_SECONDS = 60;

export type Queue = ReturnType<typeof createQueue>;

export function createQueue(options: QueueOptions) {
  const short = options.leaseSeconds;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    max: options.poolSize ?? 4,
    schema: 'pgboss',
    useListenNotify: true,
    // Failsafe sends no job flows (dependencies); pg-boss's flow pass otherwise costs two
    // queries every 5 s per replica with nothing to resolve.
    flowIntervalSeconds: 300,
    ...(short === undefined ? {} : { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 }),
  });
  const definitions = new Map<JobName, JobDefinition>();
  const inFlight = new Set<Promise<void>>();
  const storedHere = new Set<string>();
  const workerIds = new Map<JobName, string>();
  let dueClock: DueClock | undefined;
  const lease = Math.min(options.inlineLeaseSeconds ?? 20, short ?? Number.POSITIVE_INFINITY);
  let accepting = false;
  boss.on('error', (error: Error) => options.logger.error({ err: error }, 'queue error'));

  async function send(
    name: JobName,
    envelope: Envelope,
    startAfter: Date | undefined,
    /** False for an inline attempt's lease: it runs now, and the row is deleted when it succeeds. */
    wakeHere = true,
  ): Promise<string | null> {
    const sentAt = Date.now();
    const id = await boss.send(name, envelope as unknown as object, {
      id: jobIdFor(name, envelope.key, envelope.attempt),
      // The lease layer only (see the top of this file): a crashed worker's job comes back
      // after it expires; failed attempts are retried by the envelope, never by this.
      retryLimit: 50,
      retryDelay: short === undefined ? 30 : 1,
      expireInSeconds: short ?? 120,
      ...(startAfter ? { startAfter } : {}),
    });
    // pg-boss stores start_after as the database's now plus the delay, at insert: measured
    // from when the insert returned, the wake cannot come before the row is due.
    if (id && startAfter && wakeHere) dueClock?.wakeIn(name, startAfter.getTime() - sentAt + 5);
    return id;
  }

  function wake(name: string): void {
    const id = workerIds.get(name as JobName);
    if (id) boss.notifyWorker(id);
  }

  async function attempt(def: JobDefinition, envelope: Envelope, jobId: string): Promise<void> {
    const max = def.maxAttempts ?? 20;
    const ctx: JobContext = {
      key: envelope.key,
      attempt: envelope.attempt,
      lastAttempt: envelope.attempt >= max,
    };
    const parsed = JobMap[def.name].safeParse(envelope.data);
    if (!parsed.success) {
      const error = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
        .join('; ');
      await options.deadLetter({
        jobId,
        queue: def.name,
        key: envelope.key,
        attempt: envelope.attempt,
        data: envelope.data,
        error,
      });
      options.metrics.jobsDeadLettered.inc({ queue: def.name });
      options.logger.error(
        { queue: def.name, key: envelope.key, jobId, error },
        'job data does not match its schema; moved to the dead-letter table',
      );
      return;
    }
    // The handler, hooks and payload types pair up by name; TypeScript cannot follow that
    // through the union, so the one widening cast lives here.
    const spec = def as unknown as JobSpec<JobName> & {
      handler: (data: unknown, ctx: JobContext) => Promise<void>;
    };
    try {
      await spec.handler(parsed.data, ctx);
    } catch (error) {
      if (error instanceof UpstreamError) {
        options.metrics.upstreamErrors.inc({ service: error.service, status: String(error.status ?? 0) });
      }
      const retryable = !(error instanceof UpstreamError) || error.kind === 'retryable';
      const willRetry = retryable && envelope.attempt < max;
      options.metrics.jobFailures.inc({ queue: def.name, retrying: String(willRetry) });
      options.logger.warn(
        { queue: def.name, key: envelope.key, attempt: envelope.attempt, err: error, willRetry },
        'job attempt failed',
      );
      if (willRetry) {
        const retryAfter = error instanceof UpstreamError ? error.retryAfterMs : undefined;
        const delay = nextDelayMs(
          envelope.attempt,
          def.backoff ?? DEFAULT_BACKOFF,
          retryAfter,
          options.random,
        );
        // If this throws, pg-boss delivers this attempt again: the retry is not lost.
        await send(def.name, { ...envelope, attempt: envelope.attempt + 1 }, new Date(Date.now() + delay));
        await hook(def, 'onRetry', () => spec.onRetry?.(parsed.data as never, error, ctx));
      } else {
        await hook(def, 'onGiveUp', () => spec.onGiveUp?.(parsed.data as never, error, ctx));
      }
    }
  }

  /** A failing hook is logged, not thrown: throwing would make pg-boss run the attempt again. */
  async function hook(def: JobDefinition, which: string, run: () => Promise<void> | undefined) {
    try {
      await run();
    } catch (error) {
      options.logger.error({ queue: def.name, hook: which, err: error }, 'job hook failed');
    }
  }

  function track(p: Promise<void>): Promise<void> {
    inFlight.add(p);
    return p.finally(() => inFlight.delete(p));
  }

  return {
    boss,
    define(def: JobDefinition): void {
      if (definitions.has(def.name)) throw new Error(`job ${def.name} is defined twice`);
      definitions.set(def.name, def);
    },

    async start(): Promise<void> {
      await boss.start();
      for (const def of definitions.values()) {
        await boss.createQueue(def.name, { notify: true } as Parameters<typeof boss.createQueue>[1]);
      }
      // Before the workers: a job they fetch at once (a retry left by the last process) may
      // enqueue an inline effect, which would otherwise wait out its whole lease.
      accepting = true;
      const poll = options.pollingIntervalSeconds ?? DEFAULT_POLL_SECONDS;
      const fallback = Math.max(poll, WORKER_FALLBACK_POLL_SECONDS);
      for (const def of definitions.values()) {
        const id = await boss.work<Envelope>(
          def.name,
          {
            batchSize: 1,
            localConcurrency: 2,
            pollingIntervalSeconds: fallback,
            notifyPollingIntervalSeconds: fallback,
          },
          // A job fetched while stopping still runs: stop() waits for it rather than failing
          // it into pg-boss's crash-retry delay.
          async ([job]) => {
            if (!job) return;
            await track(attempt(def, job.data, job.id));
            // A worker that found a job asks again at once: several jobs may have come due
            // together, and nothing else would wake it before the fallback poll.
            wake(def.name);
          },
        );
        workerIds.set(def.name, id);
      }
      dueClock = startDueClock({
        dueWithin: (withinMs) => queuesDueWithin(boss.getDb(), withinMs),
        wake,
        intervalMs: poll * 1000,
        onError: (error) => options.logger.warn({ err: error }, 'could not read when deferred jobs are due'),
      });
    },

    /**
     * Stores the effect, then (with `inline`) tries it at once in this process. Returns false
     * when an identical job (same queue and key) was already stored.
     */
    async enqueue<N extends JobName>(
      name: N,
      key: string,
      data: JobData<N>,
      opts: EnqueueOptions = {},
    ): Promise<boolean> {
      const def = definitions.get(name);
      if (!def) throw new Error(`no job named ${name}`);
      // A payload that cannot run is refused here, where the caller can still see it.
      const envelope: Envelope = { key, attempt: 1, data: JobMap[name].parse(data) };
      const jobId = jobIdFor(name, key);
      if (opts.once && storedHere.has(jobId)) return false;
      const delay = opts.inline ? lease * 1000 : (opts.delayMs ?? 0);
      // An inline attempt's lease gets no timer here: this process runs it now, and only if it
      // dies does the row come due, for the due clock's scan (≤ 5 s late) on any replica.
      const id = await send(
        name,
        envelope,
        delay > 0 ? new Date(Date.now() + delay) : undefined,
        !opts.inline,
      );
      if (opts.once) {
        if (storedHere.size > 10_000) storedHere.clear();
        storedHere.add(jobId);
      }
      if (id && opts.inline && accepting) {
        void track(
          attempt(def, envelope, id).then(async () => {
            await boss.deleteJob(name, id);
          }),
        ).catch((error: unknown) =>
          options.logger.error({ err: error, queue: name }, 'inline attempt crashed'),
        );
      }
      return id !== null;
    },

    /** One query for every queue (one per queue cost ~1.4 queries/s idle at a 15 s interval). */
    async depth(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const name of definitions.keys()) out[name] = 0;
      for (const q of await boss.getQueues([...definitions.keys()])) {
        if (q.name in out) out[q.name] = (q as { queuedCount?: number }).queuedCount ?? 0;
      }
      return out;
    },

    /** Stops taking work, waits for in-flight attempts (bounded), then closes the pool. */
    async stop(timeoutMs = 20_000): Promise<void> {
      accepting = false;
      dueClock?.stop();
      await Promise.all([...definitions.keys()].map((name) => boss.offWork(name).catch(() => {})));
      const drained = Promise.allSettled([...inFlight]);
      await Promise.race([drained, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
      await boss.stop({ graceful: true, timeout: Math.max(1000, timeoutMs), close: true });
    },
  };
}
