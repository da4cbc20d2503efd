// Prometheus metrics in a private registry (operator.md §1.5 plus controller internals).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ErrorClass = 'transient' | 'dependency_not_ready' | 'permanent';

export function createMetrics() {
  const registry = new Registry();
  const p = 'reinhardt_cloud_operator_';
  const metrics = {
    registry,
    reconcileTotal: new Counter({
      name: `${p}reconcile_total`,
      help: 'Reconciles by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    reconcileDuration: new Histogram({
      name: `${p}reconcile_duration_seconds`,
      help: 'Reconcile duration by result',
      labelNames: ['result'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    requeueTotal: new Counter({
      name: `${p}requeue_total`,
      help: 'Requeues scheduled by the error policy',
      labelNames: ['reason'],
      registers: [registry],
    }),
    managedApps: new Gauge({
      name: `${p}managed_apps`,
      help: 'Projects per last written phase',
      labelNames: ['phase'],
      registers: [registry],
    }),
    readyReplicas: new Gauge({
      name: `${p}managed_apps_ready_replicas`,
      help: 'Web Deployment ready replicas',
      labelNames: ['namespace', 'project'],
      registers: [registry],
    }),
    desiredReplicas: new Gauge({
      name: `${p}managed_apps_desired_replicas`,
      help: 'Desired web replicas',
      labelNames: ['namespace', 'project'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: `${p}workqueue_depth`,
      help: 'Keys waiting in the work queue',
      registers: [registry],
    }),
    queueRetries: new Counter({
      name: `${p}workqueue_retries_total`,
      help: 'Keys re-added with backoff after a failure',
      registers: [registry],
    }),
    watchRestarts: new Counter({
      name: `${p}watch_restarts_total`,
      help: 'Watch connections re-established',
      labelNames: ['resource', 'reason'],
      registers: [registry],
    }),
    watchEvents: new Counter({
      name: `${p}watch_events_total`,
      help: 'Watch events received',
      labelNames: ['resource', 'type'],
      registers: [registry],
    }),
    apiWrites: new Counter({
      name: `${p}api_writes_total`,
      help: 'Mutating API requests issued',
      labelNames: ['verb', 'kind'],
      registers: [registry],
    }),
    apiErrors: new Counter({
      name: `${p}api_errors_total`,
      help: 'Failed API requests',
      labelNames: ['verb', 'kind', 'code'],
      registers: [registry],
    }),
    leader: new Gauge({
      name: `${p}leader`,
      help: '1 while this replica holds the leader Lease',
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
