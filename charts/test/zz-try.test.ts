import { spawn } from 'node:child_process';
import { ensureCluster, createTestNamespace } from '@reinhardt-cloud/test/cluster';
import { it, expect } from 'vitest';
import { applyChartRbac } from './rbac';
import { kubectl } from './helm';

it('operator runs with chart rbac', async () => {
  const { kubeconfigPath, kubeConfig } = await ensureCluster();
  const ns = await createTestNamespace(kubeConfig, 'charts-try');
  const rbac = await applyChartRbac(kubeconfigPath, ns.name);
  const sel = `charts-try=${ns.name}`;
  await kubectl(kubeconfigPath, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'paas.reinhardt-cloud.dev/v1alpha2', kind: 'Project', metadata: { name: 'web', namespace: ns.name, labels: { 'charts-try': ns.name } }, spec: { image: 'nginx:1.27', replicas: 1, deletion_policy: 'delete' } }) });
  const child = spawn(process.execPath, ['/work/main/operator/dist/operator.js'], {
    env: { PATH: process.env.PATH, KUBECONFIG: rbac.kubeconfigPath, ...rbac.operatorEnv, REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: sel, REINHARDT_CLOUD_METRICS_ADDR: '127.0.0.1:39391', REINHARDT_CLOUD_METRICS_ENABLED: 'true', POD_NAME: 'try-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise((r) => setTimeout(r, 8000));
  const ready = await fetch('http://127.0.0.1:39391/readyz').then((r) => r.status).catch(() => 0);
  const status = (await kubectl(kubeconfigPath, ['get', 'project', 'web', '-n', ns.name, '-o', 'jsonpath={.status.phase} {.metadata.finalizers}'])).stdout;
  const lease = (await kubectl(kubeconfigPath, ['get', 'lease', '-n', ns.name, '-o', 'name'])).stdout;
  await kubectl(kubeconfigPath, ['delete', 'project', 'web', '-n', ns.name, '--wait=true', '--timeout=20s']);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rbac.cleanup();
  await ns.cleanup();
  console.log(status, lease, out.slice(0, 2500));
  expect(out).not.toMatch(/forbidden/i);
  expect(ready).toBe(200);
}, 60000);
