// vitest globalSetup: start the shared test cluster once per run (or reuse a running one).
// Use it from any vitest project: `test: { globalSetup: ['../test/src/global-setup.ts'] }`.
// A cluster that was already running is left running. One started here is stopped at the end of the
// run, unless REINHARDT_KEEP_CLUSTER=1 or another vitest run (another process) is still using it; the
// users are recorded as .cluster/users/<pid> so concurrent runs in the same work tree do not pull the
// cluster out from under each other.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterPaths, ensureClusterDetailed, stopCluster } from './cluster';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function otherLiveUsers(usersDir: string): Promise<number[]> {
  const entries = await readdir(usersDir).catch(() => [] as string[]);
  return entries
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid && processIsAlive(pid));
}

export default async function setup(): Promise<() => Promise<void>> {
  const cluster = await ensureClusterDetailed();
  const usersDir = join(clusterPaths().stateDir, 'users');
  const userFile = join(usersDir, String(process.pid));
  await mkdir(usersDir, { recursive: true });
  await writeFile(userFile, `${new Date().toISOString()}\n`);
  // Workers are started after globalSetup and inherit this environment.
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  process.env.REINHARDT_KUBECONFIG = cluster.kubeconfigPath;
  return async () => {
    await rm(userFile, { force: true });
    if (!cluster.startedHere || process.env.REINHARDT_KEEP_CLUSTER === '1') return;
    if ((await otherLiveUsers(usersDir)).length > 0) return;
    await stopCluster();
  };
}
