// Preview environments (operator.md §9): the preview namespace and its guardrails, the preview Project of a
// successful preview build, `preview-action=delete`, TTL cleanup from the latest activity (D15), the parent's
// `status.previews`, and the namespace's removal with the parent (§13). The objects come from core (pure).
import { createHash } from 'node:crypto';
import {
  type ClaimedHost,
  isPreviewExpired,
  isPreviewOf,
  type KubeObject,
  LAST_ACTIVITY_ANNOTATION,
  ownsPreviewNamespace,
  PREVIEW_ISSUER,
  type PreviewParent,
  type PreviewStatusEntry,
  type ProjectSpecInput,
  parsePreviewTtl,
  previewExpiresAt,
  previewGuardrails,
  previewNamespaceName,
  previewProblem,
  previewProject,
  previewSecretCopies,
  previewStatuses,
  type RenderConfig,
  type SourceBuildStatus,
} from '@reinhardt-cloud/core';
import type { OperatorConfig } from './config';
import { isStatus, type KubeClient, RESOURCES } from './kube';
import type { Logger } from './log';

/** Field manager of preview namespaces and guardrails: separate from the children's, like tenant policy. */
export const PREVIEW_FIELD_MANAGER = 'reinhardt-cloud-operator-preview';
const PROJECT_FIELD_MANAGER = 'reinhardt-cloud-operator';
/** How long "is cert-manager installed" is believed before asking discovery again. */
const DISCOVERY_TTL_MS = 5 * 60_000;
/** A TTL check at least this often while previews exist (expiry is computed, this only bounds the wait). */
const MAX_TTL_WAIT_MS = 60 * 60_000;

export interface PreviewsOptions {
  client: KubeClient;
  config: OperatorConfig;
  log: Logger;
  /** Every Project in the cache (preview Projects carry the parent's labels, so the same selector keeps them). */
  projects: () => KubeObject[];
  /** Every Ingress rule host in the cluster (the uniqueness part of the host check). */
  claimedHosts: () => ClaimedHost[];
}

export function previewParent(project: KubeObject): PreviewParent {
  return {
    name: project.metadata.name,
    namespace: project.metadata.namespace ?? '',
    uid: project.metadata.uid as string | undefined,
    labels: project.metadata.labels ?? {},
    spec: (project.spec ?? {}) as ProjectSpecInput,
  };
}

export function previewsEnabled(project: KubeObject): boolean {
  return (project.spec as ProjectSpecInput | undefined)?.source?.preview?.enabled === true;
}

function now(): Date {
  return new Date();
}

export class Previews {
  /** Parent key → hash of the guardrails last applied by this process (0 writes when idle). */
  private readonly applied = new Map<string, string>();
  private issuerServed?: { value: boolean; at: number };

  constructor(private readonly options: PreviewsOptions) {}

  private get renderConfig(): RenderConfig {
    return this.options.config.render;
  }

  /** Preview Projects of this parent, from the cache. */
  list(parent: KubeObject): KubeObject[] {
    const p = previewParent(parent);
    return this.options.projects().filter((o) => isPreviewOf(o, p) && !o.metadata.deletionTimestamp);
  }

  statuses(parent: KubeObject): PreviewStatusEntry[] | undefined {
    return previewStatuses(this.list(parent));
  }

  /** Why a preview of this PR would be broken, before any build (D15); undefined when it is fine. */
  problem(parent: KubeObject, prNumber: string, branch: string | undefined): string | undefined {
    const p = previewParent(parent);
    const previewName = `${p.name}-pr-${prNumber}`;
    const ns = previewNamespaceName(p.namespace, p.name);
    const watched = this.options.config.watchNamespaces;
    if (watched.length > 0 && !watched.includes(ns))
      return `preview ${previewName} refused: its namespace ${ns} is not in REINHARDT_CLOUD_WATCH_NAMESPACES (${watched.join(', ')}), so no operator would reconcile it; add it there (and to the chart's watchNamespaces)`;
    // The preview's own Ingress (an update of an existing preview) does not count as a competing claim.
    const claims = this.options.claimedHosts().filter((c) => !(c.namespace === ns && c.name === previewName));
    return previewProblem(p, prNumber, branch, this.renderConfig, claims);
  }

  /** Whether cert-manager's `issuers.cert-manager.io` is served (discovery, cached). */
  private async issuersServed(): Promise<boolean> {
    const cached = this.issuerServed;
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.value;
    let value = false;
    try {
      const list = await this.options.client.request<{ resources?: { name: string }[] }>(
        'GET',
        '/apis/cert-manager.io/v1',
      );
      value = (list.resources ?? []).some((r) => r.name === 'issuers');
    } catch (error) {
      if (!isStatus(error, 404, 403)) throw error;
    }
    if (cached?.value !== value)
      this.options.log.info(
        value
          ? 'cert-manager is installed: preview namespaces get an Issuer'
          : 'cert-manager issuers.cert-manager.io is not served: preview namespaces get no Issuer and previews no TLS',
      );
    this.issuerServed = { value, at: Date.now() };
    return value;
  }

  /** §9.2: the preview namespace, quota, limits, policies and (with cert-manager) the Issuer. */
  async ensureGuardrails(parent: KubeObject, log: Logger): Promise<void> {
    const { client, config } = this.options;
    const guardrails = previewGuardrails(previewParent(parent), {
      ingressClass: config.preview.ingressClass,
      acmeServer: config.preview.acmeServer,
      acmeEmail: config.preview.acmeEmail,
      ingressNamespace: config.render.ingressControllerNamespace ?? 'ingress-nginx',
    });
    if (!guardrails) {
      log.warn('previews enabled but the Project has no uid yet: preview guardrails skipped');
      return;
    }
    const withIssuer = await this.issuersServed();
    const objects = withIssuer ? [...guardrails.objects, guardrails.issuer] : guardrails.objects;
    const key = `${parent.metadata.namespace}/${parent.metadata.name}`;
    const hash = createHash('sha256')
      .update(JSON.stringify([guardrails.namespace, objects]))
      .digest('hex')
      .slice(0, 20);
    if (this.applied.get(key) === hash) return;
    const namespace = guardrails.namespace.metadata.name;
    try {
      try {
        await client.apply(RESOURCES.Namespace, guardrails.namespace, PREVIEW_FIELD_MANAGER);
      } catch (error) {
        // Without namespace lifecycle RBAC a pre-created namespace still works (operator.md §9.2).
        if (!isStatus(error, 403) || !(await client.get(RESOURCES.Namespace, '', namespace))) throw error;
        log.warn('cannot create or label the preview namespace (forbidden); using the existing one', {
          namespace,
        });
      }
      for (const object of objects) {
        const kind = object.kind as 'ResourceQuota' | 'LimitRange' | 'NetworkPolicy' | 'Issuer';
        await client.apply(RESOURCES[kind], object, PREVIEW_FIELD_MANAGER);
      }
    } catch (error) {
      // The parent itself must keep reconciling; a preview that needs the namespace fails and is reported then.
      if (!isStatus(error, 400, 403, 404, 422)) throw error;
      log.warn('preview guardrails could not be applied', { namespace, error });
      return;
    }
    log.info('preview guardrails applied', {
      namespace,
      objects: objects.map((o) => `${o.kind}/${o.metadata.name}`),
    });
    this.applied.set(key, hash);
  }

  /** §9.3 after a successful preview build: the preview Project (server-side apply into the preview namespace). */
  async upsert(parent: KubeObject, build: SourceBuildStatus, log: Logger): Promise<void> {
    const { client } = this.options;
    const p = previewParent(parent);
    const inheritLabels = Object.fromEntries(
      Object.entries(p.labels ?? {}).filter(
        ([k]) => !k.startsWith('reinhardt.dev/') && !k.startsWith('app.kubernetes.io/'),
      ),
    );
    const tlsIssuer = (await this.issuersServed()) ? PREVIEW_ISSUER : undefined;
    const object = previewProject(
      p,
      build,
      now(),
      tlsIssuer ? { inheritLabels, tlsIssuer } : { inheritLabels },
    );
    const namespace = object.metadata.namespace ?? '';
    const existing = await client.get(RESOURCES.Project, namespace, object.metadata.name);
    if (existing && !isPreviewOf(existing, p))
      throw new Error(
        `refusing to manage existing Project ${namespace}/${object.metadata.name}: it is not a preview of ${p.namespace}/${p.name}`,
      );
    // Already applied for this build (a reconcile that still saw the build running): applying again would
    // only move last-activity.
    const appliedAt = Date.parse(existing?.metadata.annotations?.[LAST_ACTIVITY_ANNOTATION] ?? '');
    const startedAt = Date.parse(build.startedAt ?? '');
    if (
      existing &&
      (existing.spec as { image?: string } | undefined)?.image === build.image &&
      appliedAt >= startedAt
    )
      return;
    await this.copySecrets(p, object, log);
    try {
      await client.apply(RESOURCES.Project, object, PROJECT_FIELD_MANAGER);
    } catch (error) {
      // The namespace went away since the guardrails were applied: apply them again on the next attempt.
      if (isStatus(error, 404)) this.applied.delete(`${p.namespace}/${p.name}`);
      throw error;
    }
    log.info(`Applied preview Project ${namespace}/${object.metadata.name}`, { image: build.image });
  }

  /**
   * The parent's pull Secrets and `<parent>-secrets`, copied into the preview namespace under the preview's
   * own names (core `previewSecretCopies`), on every preview deploy so a rotated parent Secret reaches the
   * next preview. A Secret the parent lacks is not copied: the preview then reports the same missing Secret
   * the parent would.
   */
  private async copySecrets(parent: PreviewParent, preview: KubeObject, log: Logger): Promise<void> {
    const { client } = this.options;
    const namespace = preview.metadata.namespace ?? '';
    for (const { from, to } of previewSecretCopies(parent, preview.metadata.name)) {
      const source = await client.get(RESOURCES.Secret, parent.namespace, from);
      if (!source) {
        log.warn(
          `Secret ${parent.namespace}/${from} not found; preview ${preview.metadata.name} gets no copy`,
        );
        continue;
      }
      const copy: KubeObject = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: to, namespace, labels: { ...(preview.metadata.labels ?? {}) } },
        type: source.type ?? 'Opaque',
        data: source.data ?? {},
      };
      await client.apply(RESOURCES.Secret, copy, PREVIEW_FIELD_MANAGER);
    }
  }

  /** D15: any create/update request for a PR counts as activity of its preview (TTL runs from it). */
  async touch(parent: KubeObject, previewName: string, log: Logger): Promise<void> {
    const p = previewParent(parent);
    const namespace = previewNamespaceName(p.namespace, p.name);
    const preview = this.options
      .projects()
      .find(
        (o) => o.metadata.namespace === namespace && o.metadata.name === previewName && isPreviewOf(o, p),
      );
    if (!preview) return;
    const at = now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    try {
      await this.options.client.patch(
        RESOURCES.Project,
        namespace,
        previewName,
        { metadata: { annotations: { [LAST_ACTIVITY_ANNOTATION]: at } } },
        'merge',
      );
    } catch (error) {
      if (isStatus(error, 404)) return; // deleted meanwhile: nothing to keep alive
      throw error;
    }
    log.info('preview activity recorded', { preview: `${namespace}/${previewName}`, at });
  }

  /** §9.5: removes the preview Project of a PR (404 is fine). */
  async remove(parent: KubeObject, previewName: string, log: Logger): Promise<void> {
    const p = previewParent(parent);
    const namespace = previewNamespaceName(p.namespace, p.name);
    const existing = await this.options.client.get(RESOURCES.Project, namespace, previewName);
    if (existing && !isPreviewOf(existing, p)) {
      log.warn('not deleting a Project that is not a preview of this parent', {
        preview: `${namespace}/${previewName}`,
      });
      return;
    }
    if (await this.options.client.delete(RESOURCES.Project, namespace, previewName))
      log.info(`Deleted preview Project ${namespace}/${previewName}`);
  }

  /**
   * §9.6: deletes previews whose latest activity is older than the TTL; returns how long until the next one
   * expires (the caller looks again then).
   */
  async expire(parent: KubeObject, log: Logger): Promise<number | undefined> {
    const ttl = parsePreviewTtl((parent.spec as ProjectSpecInput | undefined)?.source?.preview?.ttl);
    if (ttl === undefined) return undefined;
    const at = now();
    let next: number | undefined;
    for (const preview of this.list(parent)) {
      if (isPreviewExpired(preview, ttl, at)) {
        const namespace = preview.metadata.namespace ?? '';
        await this.options.client
          .delete(RESOURCES.Project, namespace, preview.metadata.name)
          .then(() =>
            log.info(`Deleted expired preview Project ${namespace}/${preview.metadata.name}`, {
              lastActivity: preview.metadata.annotations?.[LAST_ACTIVITY_ANNOTATION],
            }),
          )
          .catch((error) => log.warn('could not delete an expired preview', { error }));
        continue;
      }
      const expiresAt = previewExpiresAt(preview, ttl);
      if (expiresAt !== undefined) {
        const wait = Math.max(expiresAt - at.getTime() + 1000, 1000);
        next = Math.min(next ?? MAX_TTL_WAIT_MS, wait);
      }
    }
    return next;
  }

  /** §13: with the parent gone, its preview namespace goes too, but only when its labels prove ownership. */
  async finalize(parent: KubeObject, log: Logger): Promise<void> {
    const p = previewParent(parent);
    const name = previewNamespaceName(p.namespace, p.name);
    this.applied.delete(`${p.namespace}/${p.name}`);
    let namespace: KubeObject | undefined;
    try {
      namespace = await this.options.client.get(RESOURCES.Namespace, '', name);
    } catch (error) {
      if (!isStatus(error, 403)) throw error;
      log.warn('cannot read the preview namespace (forbidden); not deleting it', { namespace: name });
      return;
    }
    if (!namespace) return;
    if (!ownsPreviewNamespace(namespace, p)) {
      log.warn('preview namespace is not provably owned by this Project; left in place', { namespace: name });
      return;
    }
    try {
      await this.options.client.delete(RESOURCES.Namespace, '', name);
      log.info(`Deleted preview namespace ${name}`);
    } catch (error) {
      if (!isStatus(error, 403)) throw error;
      log.warn('cannot delete the preview namespace (forbidden)', { namespace: name });
    }
  }
}
