// Preview environments (operator.md §9): the preview namespace and its guardrails, the preview Project of a
// pull request, its URL, TTL and the parent's `status.previews`. Pure: the caller passes `now`.
import type { z } from 'zod';
import { type ProjectSpecInput, projectSpecSchema } from '../crd';
import type { previewStatusSchema } from '../crd/schema';
import type { SourceBuildStatus } from './build';
import { checkOperatorRules } from './checks';
import { buildContext } from './context';
import { parseSecretRef } from './env';
import { fnv1a64, MANAGED_BY } from './names';
import type { ClaimedHost, KubeObject, RenderConfig } from './types';

export const PREVIEW_LABEL = 'reinhardt.dev/preview';
export const PARENT_APP_LABEL = 'reinhardt.dev/parent-app';
export const PARENT_NAMESPACE_LABEL = 'reinhardt.dev/parent-namespace';
export const PREVIEW_NAMESPACE_LABEL = 'reinhardt.dev/preview-namespace';
export const PARENT_UID_LABEL = 'reinhardt.dev/parent-uid';
export const PR_NUMBER_LABEL = 'reinhardt.dev/pr-number';
export const LAST_ACTIVITY_ANNOTATION = 'reinhardt.dev/last-activity';
/** `managed-by` of preview Projects (crd.md §3.15): they are Projects, not operator children. */
export const PREVIEW_MANAGED_BY = 'reinhardt-cloud';
export const PREVIEW_ISSUER = 'preview-issuer';
export const DEFAULT_PREVIEW_TTL = '72h';
export const DEFAULT_ACME_SERVER = 'https://acme-v02.api.letsencrypt.org/directory';

export type PreviewStatusEntry = z.output<typeof previewStatusSchema>;

export interface PreviewParent {
  name: string;
  namespace: string;
  uid?: string;
  labels?: Record<string, string>;
  /** The parent's spec as written (defaults not filled in): the preview copies fields verbatim. */
  spec: ProjectSpecInput;
}

/** Every char not in `[a-z0-9]` → `-`, runs collapsed, ends trimmed (§9.1). */
export function sanitizeIdentity(value: string): string {
  return value
    .replace(/[^a-z0-9]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** `<prefix>-<hash12>-preview` within 63 characters (§9.1). */
export function previewNamespaceName(parentNamespace: string, parentName: string): string {
  const identity = `${parentNamespace}-${sanitizeIdentity(parentName)}`;
  const hash = fnv1a64(`${parentNamespace}\u0000${parentName}`).slice(0, 12);
  const prefix = identity.slice(0, 63 - (1 + 12 + 1 + 7)).replace(/-+$/, '');
  return `${prefix}-${hash}-preview`;
}

/** Labels of every guardrail object (the Namespace adds the parent uid). */
export function previewGuardrailLabels(
  parent: Pick<PreviewParent, 'name' | 'namespace'>,
): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [PARENT_APP_LABEL]: parent.name,
    [PARENT_NAMESPACE_LABEL]: parent.namespace,
    [PREVIEW_NAMESPACE_LABEL]: 'true',
  };
}

export interface PreviewGuardrailOptions {
  ingressClass?: string;
  acmeServer?: string;
  acmeEmail?: string;
  /** Namespace of the ingress controller whose traffic may reach preview pods. */
  ingressNamespace?: string;
}

export interface PreviewGuardrails {
  namespace: KubeObject;
  /** ResourceQuota, LimitRange, NetworkPolicies. */
  objects: KubeObject[];
  /** cert-manager Issuer: applied only where cert-manager is installed. */
  issuer: KubeObject;
}

/** The preview namespace and its guardrails (§9.2); undefined without a parent uid (ownership needs it). */
export function previewGuardrails(
  parent: PreviewParent,
  options: PreviewGuardrailOptions = {},
): PreviewGuardrails | undefined {
  if (!parent.uid) return undefined;
  const namespace = previewNamespaceName(parent.namespace, parent.name);
  const labels = previewGuardrailLabels(parent);
  const meta = (name: string) => ({ name, namespace, labels: { ...labels } });
  const budget = parent.spec.source?.preview?.budget;
  const hard: Record<string, string> = { pods: '50' };
  if (budget?.max_cpu) hard['limits.cpu'] = budget.max_cpu;
  if (budget?.max_memory) hard['limits.memory'] = budget.max_memory;
  const dns = [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ];
  return {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...labels, [PARENT_UID_LABEL]: parent.uid } },
    },
    objects: [
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('preview-default-quota'), spec: { hard } },
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: meta('preview-default-limits'),
        spec: {
          limits: [
            {
              type: 'Container',
              default: { cpu: '500m', memory: '512Mi' },
              defaultRequest: { cpu: '100m', memory: '128Mi' },
            },
          ],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('preview-default-deny'),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('preview-allow-ingress-and-dns'),
        spec: {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: {
                      'kubernetes.io/metadata.name': options.ingressNamespace ?? 'ingress-nginx',
                    },
                  },
                },
              ],
            },
          ],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: dns,
            },
          ],
        },
      },
    ],
    issuer: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: meta(PREVIEW_ISSUER),
      spec: {
        acme: {
          server: options.acmeServer ?? DEFAULT_ACME_SERVER,
          email: options.acmeEmail ?? '',
          privateKeySecretRef: { name: `${namespace}-acme-key` },
          solvers: [{ http01: { ingress: { class: options.ingressClass ?? 'nginx' } } }],
        },
      },
    },
  };
}

/** The namespace is this parent's preview namespace (§13): only then may the parent's deletion remove it. */
export function ownsPreviewNamespace(namespace: KubeObject, parent: Omit<PreviewParent, 'spec'>): boolean {
  const labels = namespace.metadata.labels ?? {};
  return (
    parent.uid !== undefined &&
    namespace.metadata.name === previewNamespaceName(parent.namespace, parent.name) &&
    labels['app.kubernetes.io/managed-by'] === MANAGED_BY &&
    labels[PREVIEW_NAMESPACE_LABEL] === 'true' &&
    labels[PARENT_APP_LABEL] === parent.name &&
    labels[PARENT_NAMESPACE_LABEL] === parent.namespace &&
    labels[PARENT_UID_LABEL] === parent.uid
  );
}

/** DNS-safe branch for `{branch}` (§9.3). */
export function dnsSafeBranch(branch: string): string {
  let out = '';
  for (const ch of branch.toLowerCase()) {
    if (/[a-z0-9]/.test(ch)) out += ch;
    else if ('-_./'.includes(ch) && out !== '' && !out.endsWith('-')) out += '-';
  }
  out = out.slice(0, 63).replace(/-+$/, '');
  return out || 'branch';
}

export function renderUrlTemplate(
  template: string,
  values: { app: string; prNumber: string; branch: string },
): string {
  return template
    .replaceAll('{app}', values.app)
    .replaceAll('{pr_number}', values.prNumber)
    .replaceAll('{branch}', dnsSafeBranch(values.branch));
}

/** The preview's `services.ingress_host`: the rendered `url_template`, else none (the parent's host is taken). */
export function previewHost(
  parent: PreviewParent,
  previewName: string,
  prNumber: string,
  branch: string | undefined,
): string | undefined {
  const template = parent.spec.source?.preview?.url_template;
  if (!template) return undefined;
  const from = branch?.trim() || parent.spec.source?.branch?.trim() || 'main';
  return renderUrlTemplate(template, { app: previewName, prNumber, branch: from });
}

/**
 * Why a preview for this PR would be broken before anything is created (D15): the preview Project it would get
 * must pass the operator's reconcile-time rules (`checkOperatorRules`, the same as for any Project): its host
 * the syntax, REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES and cluster-wide uniqueness checks, inherited env secret
 * references and pull secrets the own-Secret rules; and a parent with a host needs a `url_template` (the
 * parent's own Ingress claims its host).
 */
export function previewProblem(
  parent: PreviewParent,
  prNumber: string,
  branch: string | undefined,
  config: RenderConfig,
  claimedHosts: readonly ClaimedHost[] = [],
): string | undefined {
  const previewName = `${parent.name}-pr-${prNumber}`;
  const refused = `preview ${previewName} refused`;
  if (!parent.spec.source?.build?.registry?.trim())
    return `${refused}: missing required field: source.build.registry (previews push to a registry of their own)`;
  const host = previewHost(parent, previewName, prNumber, branch);
  const parentHost = parent.spec.services?.ingress_host?.trim();
  if (!host && parentHost)
    return `${refused}: services.ingress_host '${parentHost}' belongs to ${parent.name}; set source.preview.url_template (e.g. pr-{pr_number}.${parentHost}) so each preview gets a host of its own`;
  const provisional: SourceBuildStatus = {
    phase: 'pending',
    target: 'preview',
    trigger: 'check',
    jobName: 'check',
    image: 'check',
    imageTag: 'check',
    previewName,
    prNumber,
  };
  if (branch) provisional.branch = branch;
  const object = previewProject(parent, provisional, new Date(0));
  const spec = projectSpecSchema.safeParse(object.spec);
  if (!spec.success)
    return `${refused}: ${spec.error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const ctx = buildContext(
    {
      metadata: {
        name: previewName,
        namespace: object.metadata.namespace,
        labels: object.metadata.labels ?? {},
      },
      spec: spec.data,
    },
    config,
  );
  const issues = checkOperatorRules(ctx, config, claimedHosts);
  if (issues.length === 0) return undefined;
  return `${refused}: ${issues
    .map((i) =>
      i.path === 'spec.services.ingress_host'
        ? `its host '${host}' (from source.preview.url_template) is rejected: ${i.message.replace(/^invalid ingress host: /, '')}`
        : `${i.path} (inherited from ${parent.name}): ${i.message}`,
    )
    .join('; ')}`;
}

/** `<int>h` / `<int>d` → milliseconds; anything else: never expires (crd.md §3.12). */
export function parsePreviewTtl(ttl: string | undefined): number | undefined {
  const match = /^(\d+)([hd])$/.exec((ttl ?? DEFAULT_PREVIEW_TTL).trim());
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'd' ? 24 : 1) * 3_600_000;
}

/** When a preview expires (epoch ms), or undefined when it never does (no TTL, no valid last activity). */
export function previewExpiresAt(preview: KubeObject, ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  const raw = preview.metadata.annotations?.[LAST_ACTIVITY_ANNOTATION];
  if (!raw || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw))
    return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : at + ttlMs;
}

export function isPreviewExpired(preview: KubeObject, ttlMs: number | undefined, now: Date): boolean {
  const expiresAt = previewExpiresAt(preview, ttlMs);
  return expiresAt !== undefined && expiresAt < now.getTime();
}

/** A preview Project of this parent (by labels and the canonical namespace). */
export function isPreviewOf(project: KubeObject, parent: Pick<PreviewParent, 'name' | 'namespace'>): boolean {
  const labels = project.metadata.labels ?? {};
  return (
    labels[PREVIEW_LABEL] === 'true' &&
    labels[PARENT_APP_LABEL] === parent.name &&
    (labels[PARENT_NAMESPACE_LABEL] ?? parent.namespace) === parent.namespace &&
    project.metadata.namespace === previewNamespaceName(parent.namespace, parent.name)
  );
}

/** `<parentNamespace>/<parentName>` of a preview Project, from its labels. */
export function previewParentKey(project: KubeObject): string | undefined {
  const labels = project.metadata.labels ?? {};
  if (labels[PREVIEW_LABEL] !== 'true') return undefined;
  const name = labels[PARENT_APP_LABEL];
  const namespace = labels[PARENT_NAMESPACE_LABEL];
  return name && namespace ? `${namespace}/${name}` : undefined;
}

/**
 * A verified operator-created preview (crd.md §3.15): its parent's name, which its imagePullSecrets may also
 * start with. Undefined for any other Project.
 */
export function verifiedPreviewParent(project: KubeObject): string | undefined {
  const labels = project.metadata.labels ?? {};
  const parent = labels[PARENT_APP_LABEL];
  const pr = labels[PR_NUMBER_LABEL];
  const parentNamespace = labels[PARENT_NAMESPACE_LABEL];
  if (labels[PREVIEW_LABEL] !== 'true' || labels['app.kubernetes.io/managed-by'] !== PREVIEW_MANAGED_BY)
    return undefined;
  if (!parent || !pr || !/^\d+$/.test(pr) || !parentNamespace) return undefined;
  if (project.metadata.name !== `${parent}-pr-${pr}`) return undefined;
  return project.metadata.namespace === previewNamespaceName(parentNamespace, parent) ? parent : undefined;
}

export interface PreviewProjectOptions {
  /** Issuer name for the preview's TLS (cert-manager installed); absent: no TLS section is added. */
  tlsIssuer?: string;
  /** Labels of the parent that the preview keeps (e.g. a label selector that shards operators). */
  inheritLabels?: Record<string, string>;
}

const INHERITED = [
  'worker',
  'auth',
  'health',
  'features',
  'env',
  'pages',
  'isolation',
  'imagePullSecrets',
] as const;

/**
 * The parent's Secrets a preview needs, and the name of each copy in the preview namespace: its image pull
 * Secrets and, when its env references it, `<parent>-secrets`. Only names the parent may use itself (its
 * `<parent>-` prefix) are copied; anything else is left for the reconcile-time rules to reject.
 */
export function previewSecretCopies(
  parent: Pick<PreviewParent, 'name' | 'spec'>,
  previewName: string,
): { from: string; to: string }[] {
  const prefix = `${parent.name}-`;
  const names = new Set<string>();
  for (const ref of parent.spec.imagePullSecrets ?? []) if (ref.name.startsWith(prefix)) names.add(ref.name);
  for (const value of Object.values(parent.spec.env ?? {})) {
    const ref = parseSecretRef(value);
    if (ref?.secret === `${parent.name}-secrets`) names.add(ref.secret);
  }
  return [...names].sort().map((from) => ({ from, to: `${previewName}-${from.slice(prefix.length)}` }));
}

/** The preview Project of a successful preview build (§9.3). */
export function previewProject(
  parent: PreviewParent,
  build: SourceBuildStatus,
  now: Date,
  options: PreviewProjectOptions = {},
): KubeObject {
  const prNumber = build.prNumber;
  const previewName = build.previewName;
  if (!prNumber) throw new Error('missing required field: status.build.prNumber');
  if (!previewName) throw new Error('missing required field: status.build.previewName');
  const registry = parent.spec.source?.build?.registry?.trim();
  if (!registry) throw new Error('missing required field: source.build.registry');
  const preview = parent.spec.source?.preview;
  const spec: Record<string, unknown> = { image: `${registry}:${build.imageTag}` };
  let replicas = preview?.overrides?.replicas ?? 1;
  if (preview?.budget?.max_replicas !== undefined) replicas = Math.min(replicas, preview.budget.max_replicas);
  spec.replicas = replicas;
  if (preview?.overrides?.database && parent.spec.database) spec.database = parent.spec.database;
  if (preview?.overrides?.cache && parent.spec.cache) spec.cache = parent.spec.cache;
  const host = previewHost(parent, previewName, prNumber, build.branch);
  if (parent.spec.services || host) {
    const services: Record<string, unknown> = { ...(parent.spec.services ?? {}) };
    delete services.tls;
    if (host) services.ingress_host = host;
    else delete services.ingress_host;
    if (host && options.tlsIssuer)
      services.tls = { enabled: true, secret_name: `${previewName}-tls`, issuer: options.tlsIssuer };
    spec.services = services;
  }
  for (const field of INHERITED) {
    const value = parent.spec[field];
    if (value !== undefined) spec[field] = value;
  }
  // An app may only read its own Secrets, and the parent's live in another namespace: the preview reads
  // copies named after itself, which the operator makes in the preview namespace (previewSecretCopies).
  const copies = new Map(previewSecretCopies(parent, previewName).map((c) => [c.from, c.to]));
  if (parent.spec.imagePullSecrets)
    spec.imagePullSecrets = parent.spec.imagePullSecrets.map((ref) => ({
      name: copies.get(ref.name) ?? ref.name,
    }));
  if (parent.spec.env) {
    spec.env = Object.fromEntries(
      Object.entries(parent.spec.env).map(([key, value]) => {
        const ref = parseSecretRef(value);
        const to = ref && copies.get(ref.secret);
        return [key, to && ref ? `secretRef:${to}/${ref.key}` : value];
      }),
    );
  }
  spec.deletion_policy = 'delete';
  const namespace = previewNamespaceName(parent.namespace, parent.name);
  return {
    apiVersion: 'paas.reinhardt-cloud.dev/v1alpha2',
    kind: 'Project',
    metadata: {
      name: previewName,
      namespace,
      labels: {
        ...(options.inheritLabels ?? {}),
        [PREVIEW_LABEL]: 'true',
        [PARENT_APP_LABEL]: parent.name,
        [PARENT_NAMESPACE_LABEL]: parent.namespace,
        [PR_NUMBER_LABEL]: prNumber,
        'app.kubernetes.io/managed-by': PREVIEW_MANAGED_BY,
      },
      annotations: { [LAST_ACTIVITY_ANNOTATION]: now.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    },
    spec,
  };
}

/** One `status.previews[]` entry (crd.md §6.5). */
export function previewStatusEntry(preview: KubeObject): PreviewStatusEntry {
  const labels = preview.metadata.labels ?? {};
  const spec = (preview.spec ?? {}) as { services?: { ingress_host?: string } };
  const status = (preview.status ?? {}) as { phase?: PreviewStatusEntry['phase']; readyReplicas?: number };
  const entry: PreviewStatusEntry = { name: preview.metadata.name, prNumber: labels[PR_NUMBER_LABEL] ?? '' };
  const host = spec.services?.ingress_host?.trim();
  if (host) entry.url = `https://${host}`;
  if (status.phase) entry.phase = status.phase;
  if (status.readyReplicas !== undefined) entry.readyReplicas = status.readyReplicas;
  const activity = preview.metadata.annotations?.[LAST_ACTIVITY_ANNOTATION];
  if (activity) entry.lastActivity = activity;
  return entry;
}

/** The parent's `status.previews`, sorted by name; undefined when there is none (the field is omitted). */
export function previewStatuses(previews: readonly KubeObject[]): PreviewStatusEntry[] | undefined {
  if (previews.length === 0) return undefined;
  return previews.map(previewStatusEntry).sort((a, b) => a.name.localeCompare(b.name));
}
