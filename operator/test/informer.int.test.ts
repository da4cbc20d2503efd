// The informer against the real API server: events, resourceVersion resumption after a dropped
// connection (no relist, nothing missed), and recovery from an expired resourceVersion (410 → relist).

import type { KubeObject } from '@reinhardt-cloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer, type Informer as InformerType } from '../src/informer';
import { KubeClient, RESOURCES } from '../src/kube';
import { loadKubeConfigFile } from '../src/kubeconfig';
import { createLogger } from '../src/log';
import { createMetrics } from '../src/metrics';
import {
  ApiProxy,
  createNamespace,
  deleteNamespace,
  ensureClusterUp,
  metricValue,
  serverOf,
  waitFor,
  writeKubeconfig,
} from './harness';

let admin: KubeClient;
let namespace: string;
let proxy: ApiProxy;
let informer: InformerType;
const metrics = createMetrics();
const events: { event: string; name: string; rv: string }[] = [];
const label = `informer-test-${Date.now().toString(36)}`;

function configMap(name: string, value: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { [label]: 'yes' } },
    data: { value },
  };
}

beforeAll(async () => {
  const cluster = await ensureClusterUp();
  admin = cluster.admin;
  namespace = await createNamespace(admin, 'informer');
  proxy = new ApiProxy(new URL(serverOf(cluster.kubeconfig)));
  await proxy.start();
  const viaProxy = loadKubeConfigFile(
    writeKubeconfig(`/tmp/${label}.kubeconfig`, `https://127.0.0.1:${proxy.port}`, {}),
  );
  informer = new Informer(new KubeClient(viaProxy), RESOURCES.ConfigMap, {
    labelSelector: `${label}=yes`,
    staleMs: 60_000,
    timeoutSeconds: 60,
    resyncMs: 3_600_000,
    log: createLogger({ level: 'error' }),
    metrics,
    indexBy: (o) => o.metadata.namespace,
  });
  informer.on((event, object) =>
    events.push({ event, name: object.metadata.name, rv: String(object.metadata.resourceVersion) }),
  );
  informer.start();
  await informer.synced;
});

afterAll(async () => {
  await informer?.stop();
  await proxy?.close();
  if (namespace) await deleteNamespace(admin, namespace);
});

const restarts = (reason: string) =>
  metricValue(metricsText, 'reinhardt_cloud_operator_watch_restarts_total', { reason });
let metricsText = '';

describe('Informer', () => {
  it('delivers add, update and delete and keeps an index', async () => {
    await admin.create(RESOURCES.ConfigMap, configMap('a', '1'), 'test');
    await waitFor('add of a', async () => informer.get(namespace, 'a') !== undefined);
    await admin.apply(RESOURCES.ConfigMap, configMap('a', '2'), 'test');
    await waitFor(
      'update of a',
      async () => (informer.get(namespace, 'a')?.data as { value: string } | undefined)?.value === '2',
    );
    expect(informer.byIndex(namespace).map((o) => o.metadata.name)).toEqual(['a']);
    await admin.delete(RESOURCES.ConfigMap, namespace, 'a');
    await waitFor('delete of a', async () => informer.get(namespace, 'a') === undefined);
    expect(events.filter((e) => e.name === 'a').map((e) => e.event)).toEqual(['add', 'update', 'delete']);
    expect(informer.byIndex(namespace)).toEqual([]);
  });

  it('resumes from its resourceVersion after the connection is reset: nothing missed, nothing replayed', async () => {
    await admin.create(RESOURCES.ConfigMap, configMap('b', '1'), 'test');
    await waitFor('add of b', async () => informer.get(namespace, 'b') !== undefined);
    metricsText = await metrics.registry.metrics();
    const relistsBefore = restarts('relist') + restarts('expired');
    const seen = events.length;
    proxy.cut();
    await admin.apply(RESOURCES.ConfigMap, configMap('b', '2'), 'test');
    await admin.create(RESOURCES.ConfigMap, configMap('c', '1'), 'test');
    await waitFor(
      'the changes made while disconnected',
      async () =>
        (informer.get(namespace, 'b')?.data as { value: string } | undefined)?.value === '2' &&
        informer.get(namespace, 'c') !== undefined,
    );
    const after = events.slice(seen);
    expect(after.map((e) => `${e.event}:${e.name}`)).toEqual(['update:b', 'add:c']);
    metricsText = await metrics.registry.metrics();
    expect(restarts('error') + restarts('closed')).toBeGreaterThan(0);
    expect(restarts('relist') + restarts('expired')).toBe(relistsBefore);
  });

  it('relists when its resourceVersion has expired (410 Gone) and converges', async () => {
    // Resume from a resourceVersion far older than the API server's watch window.
    (informer as unknown as { resourceVersion: string }).resourceVersion = '1';
    informer.restart('manual');
    await admin.create(RESOURCES.ConfigMap, configMap('d', '1'), 'test');
    await waitFor('d after the expired resume', async () => informer.get(namespace, 'd') !== undefined, {
      timeoutMs: 30_000,
    });
    metricsText = await metrics.registry.metrics();
    expect(restarts('expired')).toBeGreaterThan(0);
    expect(
      informer
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['b', 'c', 'd']);
  });
});
