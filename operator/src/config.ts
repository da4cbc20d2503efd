// Process configuration from the environment (operator.md §1, plus the controller's own knobs).
import {
  DEFAULT_ACME_SERVER,
  DEFAULT_BUILD_DEADLINE_SECONDS,
  DEFAULT_KANIKO_IMAGE,
  parseHostSuffixes,
  parseTenantQuota,
  type RenderConfig,
} from '@reinhardt-cloud/core';
import { cacheConfigFromEnv } from './cloud-cache';
import type { Level } from './log';

export interface OperatorConfig {
  render: RenderConfig;
  /** `host:port` of the health/metrics listener, or `undefined` when the value was unparsable (no listener). */
  metricsAddress?: { host: string; port: number };
  metricsAddressError?: string;
  metricsEnabled: boolean;
  logJson: boolean;
  logLevel: Level;
  /** Workers reconciling different Projects at the same time. */
  concurrency: number;
  /** Full relist of every watched resource (level-triggered safety net), ms. */
  resyncMs: number;
  /** A watch that delivered nothing (not even a bookmark) for this long is stale and restarted, ms. */
  watchStaleMs: number;
  /** Server-side watch timeout, seconds (jittered per connection). */
  watchTimeoutSeconds: number;
  leaderElection: boolean;
  leaseNamespace: string;
  leaseName: string;
  identity: string;
  /**
   * Namespaces whose Projects (and children) are listed and watched, one watch per namespace; empty: all
   * namespaces through cluster-wide watches. Ingresses are always read cluster-wide (host uniqueness).
   */
  watchNamespaces: string[];
  /** Only Projects matching this label selector are managed (sharding; isolates test runs). */
  projectLabelSelector?: string;
  /** Client-side rate limit of API writes+reads issued by reconciles (requests per second). */
  qps: number;
  /** Kaniko source builds (operator.md §8). */
  build: { executorImage: string; deadlineSeconds: number };
  /** Preview environments (operator.md §9): the cert-manager Issuer of preview namespaces. */
  preview: { ingressClass: string; acmeServer: string; acmeEmail: string };
}

const TRUE = new Set(['1', 'true', 'TRUE', 'True']);

export function parseAddress(value: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:]+):(\d{1,5})$/.exec(value.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const port = Number(match[2]);
  if (port > 65535) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `REINHARDT_CLOUD_WATCH_NAMESPACES`: comma-separated namespace names; empty or unset ⇒ all namespaces. */
export function parseWatchNamespaces(raw: string | undefined): string[] {
  const names: string[] = [];
  for (const [index, part] of (raw ?? '').split(',').entries()) {
    const name = part.trim();
    if (!name) continue;
    if (name.length > 63 || !NAMESPACE_NAME.test(name))
      throw new Error(
        `REINHARDT_CLOUD_WATCH_NAMESPACES entry ${index + 1} '${name}' is not a namespace name (lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters); separate names with commas`,
      );
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}='${raw}' must be a positive number`);
  return value;
}

function level(value: string | undefined): Level {
  const v = (value ?? 'info').trim().toLowerCase();
  // RUST_LOG compatibility: `reinhardt_cloud_operator=debug,kube=info` → the first level named.
  const found = /(debug|trace|info|warn|error)/.exec(v)?.[1];
  if (found === 'trace') return 'debug';
  return (found as Level | undefined) ?? 'info';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  const platformRaw = (env.REINHARDT_CLOUD_PLATFORM ?? '').trim().toLowerCase();
  const platform = platformRaw === 'aws' || platformRaw === 'gcp' ? platformRaw : 'onpremise';
  const addressRaw = env.REINHARDT_CLOUD_METRICS_ADDR;
  const metricsAddress = parseAddress(addressRaw ?? '0.0.0.0:9090');
  const config: OperatorConfig = {
    render: {
      platform,
      ingressHostSuffixes: parseHostSuffixes(env.REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES),
      ingressClassName: env.REINHARDT_CLOUD_INGRESS_CLASS?.trim() || 'nginx',
      ingressControllerNamespace: env.REINHARDT_CLOUD_INGRESS_NAMESPACE?.trim() || 'ingress-nginx',
      tenantQuota: parseTenantQuota(env.REINHARDT_CLOUD_TENANT_QUOTA),
      migrationDeadlineSeconds: intEnv(env, 'REINHARDT_CLOUD_MIGRATION_DEADLINE_SECONDS', 1800),
      cache: cacheConfigFromEnv(env),
    },
    metricsEnabled: TRUE.has((env.REINHARDT_CLOUD_METRICS_ENABLED ?? '').trim()),
    logJson: (env.REINHARDT_LOG_FORMAT ?? 'json').trim().toLowerCase() === 'json',
    logLevel: level(env.REINHARDT_LOG_LEVEL ?? env.RUST_LOG),
    concurrency: intEnv(env, 'REINHARDT_CLOUD_CONCURRENCY', 8),
    resyncMs: intEnv(env, 'REINHARDT_CLOUD_RESYNC_SECONDS', 600) * 1000,
    watchStaleMs: intEnv(env, 'REINHARDT_CLOUD_WATCH_STALE_SECONDS', 90) * 1000,
    watchTimeoutSeconds: intEnv(env, 'REINHARDT_CLOUD_WATCH_TIMEOUT_SECONDS', 300),
    leaderElection: (env.REINHARDT_CLOUD_LEADER_ELECTION ?? 'true').trim().toLowerCase() !== 'false',
    leaseNamespace: env.REINHARDT_CLOUD_LEASE_NAMESPACE?.trim() || env.POD_NAMESPACE?.trim() || 'default',
    leaseName: env.REINHARDT_CLOUD_LEASE_NAME?.trim() || 'reinhardt-cloud-operator',
    identity: env.POD_NAME?.trim() || `${(env.HOSTNAME ?? 'operator').trim()}-${process.pid}`,
    qps: intEnv(env, 'REINHARDT_CLOUD_API_QPS', 50),
    watchNamespaces: parseWatchNamespaces(env.REINHARDT_CLOUD_WATCH_NAMESPACES),
    build: {
      executorImage: env.REINHARDT_CLOUD_KANIKO_IMAGE?.trim() || DEFAULT_KANIKO_IMAGE,
      deadlineSeconds: intEnv(env, 'REINHARDT_CLOUD_BUILD_DEADLINE_SECONDS', DEFAULT_BUILD_DEADLINE_SECONDS),
    },
    preview: {
      ingressClass: env.REINHARDT_CLOUD_PREVIEW_INGRESS_CLASS?.trim() || 'nginx',
      acmeServer: env.REINHARDT_CLOUD_PREVIEW_ACME_SERVER?.trim() || DEFAULT_ACME_SERVER,
      acmeEmail: env.REINHARDT_CLOUD_PREVIEW_ACME_EMAIL?.trim() ?? '',
    },
  };
  const selector = env.REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR?.trim();
  if (selector) config.projectLabelSelector = selector;
  if (metricsAddress) config.metricsAddress = metricsAddress;
  else
    config.metricsAddressError = `REINHARDT_CLOUD_METRICS_ADDR='${addressRaw}' is not host:port; no health/metrics listener started`;
  return config;
}
