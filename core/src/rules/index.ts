// The registry of every validation rule, in the order crd.md §5 validates: replicas, tenant, database,
// worker, mail, scale, health, services(+tls), pages, isolation, source, serviceAccount, infrastructure,
// plugins (per entry, then cross-entry). All issues are collected; nothing stops at the first.
import type { ProjectSpecInput } from '../crd/schema';
import { databaseInstanceClassUnknown } from './database-instance-class-unknown';
import { databaseStorageGbRange } from './database-storage-gb-range';
import { healthIntervalNotPositive } from './health-interval-not-positive';
import { healthPortRange } from './health-port-range';
import { infraBackupRetentionNotPositive } from './infra-backup-retention-not-positive';
import { infraBucketNameInvalid } from './infra-bucket-name-invalid';
import { infraDnsHostInvalid } from './infra-dns-host-invalid';
import { infraDnsTypeInvalid } from './infra-dns-type-invalid';
import { infraPostgresCharset } from './infra-postgres-charset';
import { infraSecretDescriptionInvalid } from './infra-secret-description-invalid';
import { infraSecretNameInvalid } from './infra-secret-name-invalid';
import { ingressHostInvalid } from './ingress-host-invalid';
import { isolationCidrInvalid } from './isolation-cidr-invalid';
import { isolationRuntimeClassEmpty } from './isolation-runtime-class-empty';
import { mailSmtpPortRange } from './mail-smtp-port-range';
import { pagesServerImageEmpty } from './pages-server-image-empty';
import { pagesStaticRootEmpty } from './pages-static-root-empty';
import { pagesStaticUrlShape } from './pages-static-url-shape';
import { pluginDuplicateWasmDir } from './plugin-duplicate-wasm-dir';
import { pluginLimitNotPositive } from './plugin-limit-not-positive';
import { pluginNameBlank } from './plugin-name-blank';
import { pluginNameCollision } from './plugin-name-collision';
import { pluginOverlappingWasmDir } from './plugin-overlapping-wasm-dir';
import { pluginWasmDirInvalid } from './plugin-wasm-dir-invalid';
import { previewReplicasNotPositive } from './preview-replicas-not-positive';
import { replicasNegative } from './replicas-negative';
import type { SpecIssue, SpecRule, TomlRule } from './rule';
import { scaleMaxBelowMin } from './scale-max-below-min';
import { scaleMaxReplicasBelowOne } from './scale-max-replicas-below-one';
import { scaleMinReplicasBelowOne } from './scale-min-replicas-below-one';
import { scaleTargetNotPositive } from './scale-target-not-positive';
import { serviceAccountNameBlank } from './service-account-name-blank';
import { servicesPortRange } from './services-port-range';
import { sourceRepositoryEmpty } from './source-repository-empty';
import { sourceValueEmpty } from './source-value-empty';
import { tenantNamespaceInvalid } from './tenant-namespace-invalid';
import { tenantOrganizationInvalid } from './tenant-organization-invalid';
import { tenantTeamInvalid } from './tenant-team-invalid';
import { tlsClusterIssuerForbidden } from './tls-cluster-issuer-forbidden';
import { tlsRequiresIngressHost } from './tls-requires-ingress-host';
import { tlsRequiresSecretName } from './tls-requires-secret-name';
import { webhookEventsRequired } from './webhook-events-required';
import { workerConcurrencyNotPositive } from './worker-concurrency-not-positive';

export { dns1123LabelProblem, isCidr, sanitizePluginName } from './checks';
export { PLUGIN_DIR_PREFIX, wasmDirProblem } from './plugin-wasm-dir-invalid';
export type { RuleSeverity, SpecIssue, SpecRule, TomlRule } from './rule';
export { tenantNamespace } from './tenant-namespace-invalid';
export { CLUSTER_ISSUER_MESSAGE } from './tls-cluster-issuer-forbidden';

/** Every Project spec rule, in validation order. */
export const specRules: readonly SpecRule[] = [
  replicasNegative,
  tenantOrganizationInvalid,
  tenantTeamInvalid,
  tenantNamespaceInvalid,
  databaseStorageGbRange,
  databaseInstanceClassUnknown,
  workerConcurrencyNotPositive,
  mailSmtpPortRange,
  scaleMinReplicasBelowOne,
  scaleMaxReplicasBelowOne,
  scaleMaxBelowMin,
  scaleTargetNotPositive,
  healthPortRange,
  healthIntervalNotPositive,
  servicesPortRange,
  ingressHostInvalid,
  tlsRequiresIngressHost,
  tlsRequiresSecretName,
  tlsClusterIssuerForbidden,
  pagesStaticRootEmpty,
  pagesStaticUrlShape,
  pagesServerImageEmpty,
  isolationRuntimeClassEmpty,
  isolationCidrInvalid,
  sourceRepositoryEmpty,
  sourceValueEmpty,
  webhookEventsRequired,
  previewReplicasNotPositive,
  serviceAccountNameBlank,
  infraPostgresCharset,
  infraBackupRetentionNotPositive,
  infraBucketNameInvalid,
  infraDnsHostInvalid,
  infraDnsTypeInvalid,
  infraSecretNameInvalid,
  infraSecretDescriptionInvalid,
  pluginNameBlank,
  pluginWasmDirInvalid,
  pluginLimitNotPositive,
  pluginNameCollision,
  pluginDuplicateWasmDir,
  pluginOverlappingWasmDir,
];

/** Rules about the TOML text itself, checked by `analyzeToml`. */
export const tomlRules: readonly TomlRule[] = [
  { code: 'toml-syntax', severity: 'error', description: 'The file is not valid TOML.' },
  {
    code: 'missing-required-key',
    severity: 'error',
    description:
      'A required table or key is missing ([app], app.name, app.image, database.engine, source.repository, ...).',
  },
  {
    code: 'invalid-type',
    severity: 'error',
    description: 'A value has the wrong type (e.g. `count = "3"` where an integer is expected).',
  },
  {
    code: 'invalid-enum-value',
    severity: 'error',
    description: 'A value is not one of the allowed values; the closest one is suggested.',
  },
  {
    code: 'unknown-webhook-event',
    severity: 'error',
    description: 'A webhook event other than push, pull_request or tag (the original silently dropped it).',
  },
  {
    code: 'unknown-key',
    severity: 'warning',
    description: 'A key or table the schema does not know (ignored); the closest known key is suggested.',
  },
  {
    code: 'invalid-value',
    severity: 'error',
    description: 'A value breaks a schema constraint not covered by a more specific rule.',
  },
  {
    code: 'invalid-introspect',
    severity: 'error',
    description:
      'compileProject: the `manage introspect` output given as `introspect` does not match IntrospectOutput.',
  },
];

/** Every rule code → severity, for docs and the `rules` listing. */
export const rules: readonly { code: string; severity: 'error' | 'warning'; description: string }[] = [
  ...tomlRules,
  ...specRules.map(({ code, severity, description }) => ({ code, severity, description })),
];

/** Run every spec rule (crd.md §5) and return all issues, in validation order. */
export function validateProjectSpec(spec: ProjectSpecInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const rule of specRules) {
    rule.check(spec, (issue) => issues.push({ code: rule.code, severity: rule.severity, ...issue }));
  }
  return issues;
}

/** The original's single-line form: messages joined with "; " (used in `invalid Project spec: ...`). */
export function formatSpecIssues(issues: readonly SpecIssue[]): string {
  return issues.map((i) => i.message).join('; ');
}
