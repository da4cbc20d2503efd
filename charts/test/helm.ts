// Runs the real helm and kubectl of the simulated cluster (test/cluster) against the operator chart.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { helmPath, kubectlPath } from '@reinhardt-cloud/test/cluster';
import { parseAllDocuments } from 'yaml';

export const CHARTS_DIR = resolve(import.meta.dirname, '..');
export const CHART_DIR = join(CHARTS_DIR, 'reinhardt-cloud-operator');
export const REPO_ROOT = resolve(CHARTS_DIR, '..');

/** The parts of a Kubernetes object the chart tests look at. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** A command that exited non-zero; `stderr` is what helm/kubectl said about it. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} exited with ${exitCode}: ${stderr.trim() || stdout.trim()}`);
    this.name = 'CommandError';
  }
}

/** Runs a binary with optional stdin; rejects with CommandError on a non-zero exit. */
export function runCommand(
  binary: string,
  args: string[],
  { input, timeoutMs = 60_000 }: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const name = `${binary.split('/').pop()} ${args.slice(0, 2).join(' ')}`;
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(new CommandError(name, code, stdout, stderr));
    });
    child.stdin.end(input ?? '');
  });
}

export function helm(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<RunResult> {
  return runCommand(helmPath(), args, options);
}

export function kubectl(
  kubeconfigPath: string,
  args: string[],
  options?: { input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return runCommand(kubectlPath(), ['--kubeconfig', kubeconfigPath, ...args], options);
}

/** Values are passed as a file (JSON is YAML) so that nested values need no --set escaping. */
export async function withValuesFile<T>(
  values: Record<string, unknown> | undefined,
  body: (args: string[]) => Promise<T>,
): Promise<T> {
  if (!values || Object.keys(values).length === 0) return body([]);
  const dir = await mkdtemp(join(tmpdir(), 'rco-values-'));
  try {
    const file = join(dir, 'values.json');
    await writeFile(file, JSON.stringify(values));
    return await body(['--values', file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RenderOptions {
  release: string;
  namespace: string;
  values?: Record<string, unknown>;
  includeCrds?: boolean;
}

export function parseManifests(text: string): RenderedObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON() as RenderedObject | null)
    .filter((o): o is RenderedObject => o !== null && typeof o === 'object' && 'kind' in o);
}

/** `helm template` of the operator chart, parsed. */
export async function renderChart(options: RenderOptions): Promise<RenderedObject[]> {
  const { stdout } = await withValuesFile(options.values, (valueArgs) =>
    helm([
      'template',
      options.release,
      CHART_DIR,
      '--namespace',
      options.namespace,
      ...(options.includeCrds ? ['--include-crds'] : []),
      ...valueArgs,
    ]),
  );
  return parseManifests(stdout);
}

export const RBAC_KINDS = new Set([
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
]);

/** Objects as YAML documents for `kubectl apply -f -`. */
export function toManifest(objects: RenderedObject[]): string {
  return objects.map((o) => `---\n${JSON.stringify(o)}\n`).join('');
}
