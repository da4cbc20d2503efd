import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { startHealthServer } from './server';

describe('health and metrics listener', () => {
  const metrics = createMetrics();
  let reasons: string[] = [];
  let base = '';
  let close: () => void = () => undefined;

  beforeAll(async () => {
    const server = await startHealthServer('127.0.0.1', 0, {
      notReadyReasons: () => reasons,
      metrics: metrics.registry,
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('answers /healthz and /healthz?x with ok and closes the connection', async () => {
    for (const path of ['/healthz', '/healthz?probe=1']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
      expect(res.headers.get('connection')).toBe('close');
    }
  });

  it('reports /readyz from the controller state', async () => {
    reasons = ['projects watch stale'];
    let res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('projects watch stale');
    reasons = [];
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
  });

  it('serves Prometheus text on /metrics and 404 elsewhere', async () => {
    metrics.reconcileTotal.inc({ result: 'success' });
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('reinhardt_cloud_operator_reconcile_total{result="success"} 1');
    expect((await fetch(`${base}/metricsfoo`)).status).toBe(404);
  });
});
