// Process entry: configuration, logging, metrics, health listener, leader election, controller, signals.
import { loadConfig } from './config';
import { Controller } from './controller';
import { KubeClient } from './kube';
import { loadCredentials } from './kubeconfig';
import { LeaderElector } from './leader';
import { createLogger } from './log';
import { createMetrics } from './metrics';
import { startHealthServer } from './server';
import { initTracing, shutdownTracing } from './tracing';

export async function main(argv: string[]): Promise<number> {
  // Exec probes run the binary with exactly `--healthcheck`.
  if (argv.length === 1 && argv[0] === '--healthcheck') return 0;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`reinhardt-cloud-operator: ${(error as Error).message}\n`);
    return 2;
  }
  const log = createLogger({ json: config.logJson, level: config.logLevel });
  const metrics = createMetrics();
  // Before the controller starts, so the first reconciles are traced; loads the SDK only with an endpoint set.
  await initTracing(process.env, log);
  let credentials: ReturnType<typeof loadCredentials>;
  try {
    credentials = loadCredentials();
  } catch (error) {
    log.error((error as Error).message);
    return 2;
  }
  const client = new KubeClient(credentials.kubeConfig, metrics);
  const controller = new Controller({ client, config, log, metrics });
  const elector = config.leaderElection
    ? new LeaderElector(
        client,
        { namespace: config.leaseNamespace, name: config.leaseName, identity: config.identity },
        log,
      )
    : undefined;

  let server: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  if (config.metricsAddress) {
    const { host, port } = config.metricsAddress;
    server = await startHealthServer(host, port, {
      // A standby replica is healthy and ready; only the leader depends on its caches.
      notReadyReasons: () => (elector && !elector.isLeader ? [] : controller.notReadyReasons()),
      metrics: config.metricsEnabled ? metrics.registry : undefined,
    });
    log.info('health listener started', { address: `${host}:${port}`, metrics: config.metricsEnabled });
  } else {
    log.error(config.metricsAddressError ?? 'no health listener');
  }

  let exitCode = 0;
  let shuttingDown = false;
  const done = new Promise<void>((resolve) => {
    const shutdown = async (signal: string, code = 0) => {
      if (shuttingDown) return;
      shuttingDown = true;
      exitCode = code;
      log.warn('Controller loop terminated, shutting down', { signal });
      await controller.stop();
      await shutdownTracing(log);
      await elector?.release();
      server?.close();
      client.destroy();
      resolve();
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGUSR2', () => {
      log.info('full resync requested (SIGUSR2)');
      controller.forceResync();
    });
    if (elector) {
      void elector
        .run(() => void shutdown('leadership lost', 1))
        .then(() => {
          metrics.leader.set(1);
          if (!shuttingDown) return controller.start();
        })
        .catch((error) => {
          log.error('controller failed to start', { error });
          void shutdown('startup failure', 1);
        });
    } else {
      controller.start().catch((error) => {
        log.error('controller failed to start', { error });
        void shutdown('startup failure', 1);
      });
    }
    log.info('reinhardt-cloud-operator starting', {
      identity: config.identity,
      platform: config.render.platform,
      leaderElection: config.leaderElection,
      concurrency: config.concurrency,
      credentials: credentials.source,
      watchNamespaces: config.watchNamespaces.length > 0 ? config.watchNamespaces : 'all',
    });
  });
  await done;
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(
      `reinhardt-cloud-operator: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
