#!/usr/bin/env node
// Operator at scale on the simulated cluster: N Projects (default 500) created at once.
// Reports: time until all are Ready=True, reconciles per second, API writes during one idle resync
// (target 0), and the operator's peak resident memory (VmHWM).
// Baseline: one Project's create-to-Ready time on the same cluster and operator, measured first, so the
// result reads as a ratio ("500 Projects took 20x one Project", i.e. 25x throughput) on any machine.
// Usage: node bench/operator-scale.mjs [--projects N] [--concurrency N] [--assert]
// Needs the simulated cluster (npm run cluster:up); builds operator/dist if missing.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    projects: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '16' },
    assert: { type: 'boolean', default: false },
  },
});
const count = Number(values.projects);
const kubeconfig = join(root, '.cluster', 'kubeconfig');
const kubectlBin = join(root, '.cluster', 'bin', 'kubectl');
if (!existsSync(kubeconfig) || !existsSync(kubectlBin)) {
  console.error('The simulated cluster is not running: start it with `npm run cluster:up`.');
  process.exit(2);
}
const kubectl = (args, input) =>
  execFileSync(kubectlBin, ['--kubeconfig', kubeconfig, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // Errors carry kubectl's stderr; expected retries (waiting for the default ServiceAccount) stay quiet.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
const operatorJs = join(root, 'operator', 'dist', 'operator.js');
if (!existsSync(operatorJs))
  execFileSync(process.execPath, [join(root, 'operator', 'build.mjs')], { stdio: 'inherit' });

const id = `bench-${Date.now().toString(36)}`;
const namespace = id;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const port = await new Promise((r) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});

// Extra kwok nodes so that N web pods fit (the shared cluster has 3 × 110 pod slots).
const nodeCount = Math.max(1, Math.ceil(count / 400));
const nodes = Array.from({ length: nodeCount }, (_, i) => `${id}-node-${i}`);
kubectl(
  ['apply', '-f', '-'],
  nodes
    .map(
      (name) => `---
apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations: { kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0" }
  labels: { kubernetes.io/hostname: ${name}, kubernetes.io/os: linux, type: kwok }
status:
  allocatable: { cpu: "1000", memory: 4Ti, pods: "600" }
  capacity: { cpu: "1000", memory: 4Ti, pods: "600" }
`,
    )
    .join(''),
);
kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(root, 'schemas', 'project-crd.yaml')]);
kubectl(['wait', '--for=condition=Established', 'crd/projects.paas.reinhardt-cloud.dev', '--timeout=60s']);
kubectl(['create', 'namespace', namespace]);
for (let i = 0; i < 100; i++) {
  try {
    kubectl(['-n', namespace, 'get', 'serviceaccount', 'default']);
    break;
  } catch {
    await sleep(200);
  }
}

const operator = spawn(process.execPath, [operatorJs], {
  env: {
    PATH: process.env.PATH,
    KUBECONFIG: kubeconfig,
    REINHARDT_CLOUD_METRICS_ADDR: `127.0.0.1:${port}`,
    REINHARDT_CLOUD_METRICS_ENABLED: 'true',
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `bench-run=${id}`,
    REINHARDT_CLOUD_LEADER_ELECTION: 'false',
    REINHARDT_CLOUD_CONCURRENCY: values.concurrency,
    REINHARDT_CLOUD_RESYNC_SECONDS: '3600',
    REINHARDT_LOG_LEVEL: 'error',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const metricsText = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
const metric = (text, name, filter = '') =>
  text
    .split('\n')
    .filter(
      (l) => l.startsWith(name) && (l[name.length] === '{' || l[name.length] === ' ') && l.includes(filter),
    )
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
const peakRssMb = () => {
  const status = readFileSync(`/proc/${operator.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
  } catch {}
  if (i > 300) throw new Error('operator did not become ready');
  await sleep(100);
}

const manifest = Array.from(
  { length: count },
  (_, i) => `---
apiVersion: paas.reinhardt-cloud.dev/v1alpha2
kind: Project
metadata: { name: app-${i}, namespace: ${namespace}, labels: { bench-run: ${id} } }
spec:
  image: registry.example.test/app:${i % 7}
  env: { INDEX: "${i}" }
${i % 10 === 0 ? '  cache: {}\n' : ''}${i % 5 === 1 ? '  isolation: { level: None }\n' : ''}`,
).join('');
const manifestPath = join(tmpdir(), `${id}.yaml`);
writeFileSync(manifestPath, manifest);

const isReady = (p) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

let exitCode = 0;
try {
  // Baseline: a single Project of the same shape, alone on the cluster.
  const baselineStarted = performance.now();
  kubectl(
    ['apply', '--server-side', '-f', '-'],
    `apiVersion: paas.reinhardt-cloud.dev/v1alpha2
kind: Project
metadata: { name: baseline, namespace: ${namespace}, labels: { bench-run: ${id} } }
spec: { image: registry.example.test/app:baseline, env: { INDEX: "baseline" } }
`,
  );
  for (;;) {
    const p = JSON.parse(
      kubectl(['-n', namespace, 'get', 'projects.paas.reinhardt-cloud.dev', 'baseline', '-o', 'json']),
    );
    if (isReady(p)) break;
    if (performance.now() - baselineStarted > 120_000)
      throw new Error('the baseline Project was not Ready after 2 minutes');
    await sleep(100);
  }
  const baselineS = (performance.now() - baselineStarted) / 1000;

  const before = await metricsText();
  const started = performance.now();
  kubectl(['apply', '--server-side', '-f', manifestPath]);
  let ready = 0;
  for (;;) {
    const list = JSON.parse(
      kubectl(['-n', namespace, 'get', 'projects.paas.reinhardt-cloud.dev', '-o', 'json']),
    );
    ready = list.items.filter((p) => p.metadata.name !== 'baseline' && isReady(p)).length;
    if (ready === count) break;
    if (performance.now() - started > 900_000)
      throw new Error(`only ${ready}/${count} Ready after 15 minutes`);
    await sleep(1000);
  }
  const allReadyS = (performance.now() - started) / 1000;
  const afterReady = await metricsText();
  const reconciles =
    metric(afterReady, 'reinhardt_cloud_operator_reconcile_total') -
    metric(before, 'reinhardt_cloud_operator_reconcile_total');

  // Idle resync: let the cluster settle, then relist every watch and reconcile every Project once more.
  await sleep(5000);
  const idleBefore = await metricsText();
  const writesBefore = metric(idleBefore, 'reinhardt_cloud_operator_api_writes_total');
  const reconcilesBefore = metric(idleBefore, 'reinhardt_cloud_operator_reconcile_total');
  process.kill(operator.pid, 'SIGUSR2');
  for (let i = 0; ; i++) {
    const text = await metricsText();
    if (metric(text, 'reinhardt_cloud_operator_reconcile_total') - reconcilesBefore >= count) break;
    if (i > 600) throw new Error('the idle resync did not reconcile every Project');
    await sleep(100);
  }
  await sleep(1000);
  const idleAfter = await metricsText();
  const idleWrites = metric(idleAfter, 'reinhardt_cloud_operator_api_writes_total') - writesBefore;
  const writeDetail = idleAfter
    .split('\n')
    .filter((l) => l.startsWith('reinhardt_cloud_operator_api_writes_total{'))
    .join('\n');

  console.log(`operator scale bench: ${count} Projects, concurrency ${values.concurrency}`);
  console.log(`  baseline: one Project Ready: ${baselineS.toFixed(2)} s`);
  console.log(
    `  time until all Ready=True : ${allReadyS.toFixed(1)} s = ${(allReadyS / baselineS).toFixed(1)}x the baseline for ${count}x the work (${((count * baselineS) / allReadyS).toFixed(1)}x the throughput of one-at-a-time)`,
  );
  console.log(
    `  reconciles                : ${reconciles} (${(reconciles / allReadyS).toFixed(1)} /s, ${(reconciles / count).toFixed(2)} per Project)`,
  );
  console.log(`  API writes per idle resync: ${idleWrites} (target 0)`);
  console.log(`  operator peak RSS (VmHWM) : ${peakRssMb().toFixed(0)} MiB`);
  if (idleWrites > 0) console.log(writeDetail);
  if (values.assert && idleWrites > 0) exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  // The finalizers need the operator: delete the Projects before stopping it.
  try {
    kubectl([
      '-n',
      namespace,
      'delete',
      'projects.paas.reinhardt-cloud.dev',
      '--all',
      '--wait=true',
      '--timeout=300s',
    ]);
  } catch (error) {
    console.error(`cleanup: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
  }
  operator.kill('SIGTERM');
  kubectl(['delete', 'namespace', namespace, '--wait=false']);
  kubectl(['delete', 'node', ...nodes, '--wait=false']);
}
process.exit(exitCode);
