import { existsSync } from 'node:fs';
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  ensureCluster,
  helmPath,
  kubectlPath,
  TEST_NAMESPACE_LABEL,
  uniqueName,
  withNamespace,
} from './cluster';

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('test cluster helpers', () => {
  it('makes unique DNS-1123 labels from any prefix', () => {
    const prefixes = ['Operator E2E', '--x--', '', 'ä/ö', 'a'.repeat(100)];
    const names = prefixes.map(uniqueName);
    for (const name of names) {
      expect(name).toMatch(dnsLabel);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(names[0]).toMatch(/^operator-e2e-/);
    expect(new Set([uniqueName('same'), uniqueName('same')]).size).toBe(2);
  });

  it('reuses the running cluster and exposes kubectl and helm', async () => {
    const first = await ensureCluster();
    const second = await ensureCluster();
    expect(second.kubeconfigPath).toBe(first.kubeconfigPath);
    expect(existsSync(first.kubeconfigPath)).toBe(true);
    expect(existsSync(kubectlPath())).toBe(true);
    expect(existsSync(helmPath())).toBe(true);
  });

  it('runs a body in a labelled namespace and deletes the namespace afterwards', async () => {
    const { kubeConfig } = await ensureCluster();
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const used = await withNamespace('helper', async (namespace) => {
      const ns = await core.readNamespace({ name: namespace });
      expect(ns.metadata?.labels?.[TEST_NAMESPACE_LABEL]).toBe('true');
      await core.readNamespacedServiceAccount({ name: 'default', namespace });
      return namespace;
    });
    const after = await core.readNamespace({ name: used }).catch((error: { code?: number }) => error.code);
    // deleted: either already gone (404) or marked for deletion
    expect(
      after === 404 || (typeof after === 'object' && after.metadata?.deletionTimestamp !== undefined),
    ).toBe(true);
  });
});
