// The types of the queue's contract: what a job definition, an enqueue and a dead letter look
// like. Capabilities import these; queue.ts implements them.
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { BackoffPolicy } from './backoff.ts';
import type { JobData, JobName } from './map.ts';

export interface JobContext {
  key: string;
  attempt: number;
  /** True when this is the last attempt the policy allows. */
  lastAttempt: boolean;
}

export interface JobSpec<N extends JobName> {
  name: N;
  handler: (data: JobData<N>, ctx: JobContext) => Promise<void>;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Called once when a job is abandoned (non-retryable error or attempts used up). */
  onGiveUp?: (data: JobData<N>, error: unknown, ctx: JobContext) => Promise<void>;
  /** Called after a failed attempt that will be retried. */
  onRetry?: (data: JobData<N>, error: unknown, ctx: JobContext) => Promise<void>;
}

/** Any one job's definition; the name picks the payload type of its handler. */
export type JobDefinition = { [N in JobName]: JobSpec<N> }[JobName];

/** A stored job whose payload does not parse: kept, counted and logged instead of dropped. */
export interface DeadLetter {
  jobId: string;
  queue: JobName;
  key: string;
  attempt: number;
  data: unknown;
  error: string;
}

export interface EnqueueOptions {
  /** Run the handler in this process straight away; the stored job is the fallback. */
  inline?: boolean;
  delayMs?: number;
  /**
   * Skip the database when this process already stored this job (same queue and key): the
   * job id would make it a no-op there anyway, and a storm would pay that round trip per alert.
   */
  once?: boolean;
}

export interface QueueOptions {
  connectionString: string;
  logger: Logger;
  metrics: Metrics;
  /** Seconds a stored job waits before a worker may take it while an inline attempt runs. */
  inlineLeaseSeconds?: number;
  /**
   * Test-only (FAILSAFE_TEST_LEASE_SECONDS): how long a dead worker's job and inline lease
   * hold, checked every second. Production: 120 s, checked every 60 s, retried 30 s later.
   */
  leaseSeconds?: number;
  pollingIntervalSeconds?: number;
  poolSize?: number;
  random?: () => number;
  /** Where payloads that fail their schema go (the dead-letter table). */
  deadLetter: (letter: DeadLetter) => Promise<void>;
}
