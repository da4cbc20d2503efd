// Stable names, labels and hashes shared by every rendered object.

export const MANAGED_BY = 'reinhardt-cloud-operator';
export const GROUP = 'paas.reinhardt-cloud.dev';
export const API_VERSION = `${GROUP}/v1alpha2`;
export const OWNER_LABEL = `${GROUP}/owner`;
export const MIGRATION_REVISION_LABEL = `${GROUP}/migration-revision`;
export const MIGRATION_REVISION_KEY_ANNOTATION = `${GROUP}/migration-revision-key`;
/** Project generation a migration Job was created for: a failed Job is retried once the spec moves on. */
export const MIGRATION_GENERATION_ANNOTATION = `${GROUP}/migration-generation`;
/** Set on a Project (any new value) to re-run a failed migration of the same revision. */
export const MIGRATION_RETRY_ANNOTATION = `${GROUP}/retry-migration`;
/** Marks data objects (credentials, volumes) that survive `deletion_policy: retain` and are never pruned. */
export const DATA_LABEL = `${GROUP}/data`;
export const FINALIZER = `${GROUP}/cleanup`;

export type Component =
  | 'web'
  | 'worker'
  | 'database'
  | 'cache'
  | 'ingress'
  | 'migration'
  | 'plugins'
  | 'isolation';

/** 64-bit FNV-1a of the UTF-8 bytes, 16 lowercase hex digits (operator.md §7). */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Label value identifying the owning Project; label values are limited to 63 characters. */
export function ownerLabelValue(namespace: string, name: string): string {
  const plain = `${namespace}.${name}`;
  if (plain.length <= 63) return plain;
  return `${plain.slice(0, 46).replace(/[^A-Za-z0-9]+$/, '')}-${fnv1a64(plain)}`;
}

export function selectorLabels(name: string, component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': component };
}

export function standardLabels(
  namespace: string,
  name: string,
  component: Component,
): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'reinhardt-cloud',
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [OWNER_LABEL]: ownerLabelValue(namespace, name),
  };
}

/** Label selector (string form) that finds every child of a Project. */
export function childSelector(namespace: string, name: string): string {
  return `app.kubernetes.io/managed-by=${MANAGED_BY},${OWNER_LABEL}=${ownerLabelValue(namespace, name)}`;
}

/** Project name as a SQL identifier: `-` → `_`, other characters outside `[A-Za-z0-9_]` dropped, no leading digit. */
export function sqlIdentifier(name: string): string {
  let id = name.replace(/-/g, '_').replace(/[^A-Za-z0-9_]/g, '');
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  return id.slice(0, 63);
}

/** `<prefix>-migrate-<revision>` within 63 characters. */
export function migrationJobName(name: string, revision: string): string {
  const suffix = `-migrate-${revision}`;
  const prefix = name.slice(0, 63 - suffix.length).replace(/-+$/, '') || 'project';
  return `${prefix}${suffix}`;
}
