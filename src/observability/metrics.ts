// Metrics live in a registry per app instance (not prom-client's global one) so two
// instances in one test process, or one benchmark, never mix their counts.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) {
    collectDefaultMetrics({ register: registry, prefix: 'failsafe_' });
    // The exact Node version tells a scanner which CVEs to try; nothing on a dashboard needs it.
    registry.removeSingleMetric('failsafe_nodejs_version_info');
  }
  return {
    registry,
    alertsReceived: new Counter({
      name: 'failsafe_alerts_received_total',
      help: 'Alerts received, by source and outcome (new_incident, joined, repeat, resolved, unrouted, rejected).',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    pages: new Counter({
      name: 'failsafe_pages_total',
      help: 'Pages, by outcome (sent, retried, failed, recovered).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    alertToPage: new Histogram({
      name: 'failsafe_alert_to_page_seconds',
      help: 'Time from receiving the alert that opened an incident to PagerDuty accepting the page.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'failsafe_queue_depth',
      help: 'Jobs waiting in the durable queue, by queue.',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    jobFailures: new Counter({
      name: 'failsafe_job_failures_total',
      help: 'Failed job attempts, by queue and whether they will be retried.',
      labelNames: ['queue', 'retrying'] as const,
      registers: [registry],
    }),
    jobsDeadLettered: new Counter({
      name: 'failsafe_jobs_dead_lettered_total',
      help: 'Stored jobs whose payload did not match its schema, moved to the dead-letter table, by queue.',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: 'failsafe_upstream_errors_total',
      help: 'Errors from upstream services, by service and HTTP status (0 for network errors).',
      labelNames: ['service', 'status'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
