// Prometheus metrics, on a registry per server (not prom-client's global one) so that tests and
// several servers in one process do not share counters.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  ingestEvents: Counter<'source' | 'outcome'>;
  stripeUnresolvedDiscounts: Counter;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  commitSeconds: Histogram;
  commitEvents: Histogram;
  engineCycleSeconds: Histogram;
  playbookPassSeconds: Histogram;
}

export interface MetricProbes {
  queueDepth: () => number;
  /** seconds the last playbook scheduler pass started later than planned (its wait for the lock included) */
  schedulerLag?: () => number | Promise<number>;
  /** seconds the last engine cycle started later than planned */
  engineLag?: () => number;
  /** the last event seq the engine folded */
  engineSeq?: () => number;
}

export function createMetrics(probes: MetricProbes): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tierwise_process_' });
  new Gauge({ name: 'tierwise_ingest_queue_depth', help: 'events waiting for a commit', registers: [registry], collect() { this.set(probes.queueDepth()); } });
  const { schedulerLag, engineLag, engineSeq } = probes;
  if (schedulerLag) new Gauge({ name: 'tierwise_scheduler_lag_seconds', help: 'how long the oldest due outbox message or playbook step has waited past its time', registers: [registry], async collect() { this.set(await schedulerLag()); } });
  if (engineLag) new Gauge({ name: 'tierwise_engine_lag_seconds', help: 'how late the last engine cycle started', registers: [registry], collect() { this.set(engineLag()); } });
  if (engineSeq) new Gauge({ name: 'tierwise_engine_seq', help: 'the last event seq folded by the engine', registers: [registry], collect() { this.set(engineSeq()); } });
  return {
    registry,
    ingestEvents: new Counter({ name: 'tierwise_ingest_events_total', help: 'events received, by source and outcome (accepted, rejected, ignored; refused: a Stripe signature that did not verify)', labelNames: ['source', 'outcome'], registers: [registry] }),
    stripeUnresolvedDiscounts: new Counter({ name: 'tierwise_stripe_unresolved_discounts_total', help: 'discount ids on Stripe subscriptions that no event carried: those MRRs are before the discount', registers: [registry] }),
    requestSeconds: new Histogram({
      name: 'tierwise_http_request_duration_seconds', help: 'request latency, by route', labelNames: ['method', 'route', 'status'], registers: [registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    commitSeconds: new Histogram({ name: 'tierwise_ingest_commit_seconds', help: 'time of one group commit', registers: [registry], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] }),
    engineCycleSeconds: new Histogram({ name: 'tierwise_engine_cycle_seconds', help: 'time of one engine cycle (fold new events, rescore)', registers: [registry], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] }),
    playbookPassSeconds: new Histogram({ name: 'tierwise_playbook_pass_seconds', help: 'time of one playbook scheduler pass (scheduler and delivery)', registers: [registry], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] }),
    commitEvents: new Histogram({ name: 'tierwise_ingest_commit_events', help: 'events per group commit', registers: [registry], buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 50000] }),
  };
}
