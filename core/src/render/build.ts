// Source builds with Kaniko (operator.md §8): what a Project's annotations ask for, the names of the image,
// tag and Job, the Kaniko Job itself, and what a Job's status means. Pure: the caller passes `now`.
import type { z } from 'zod';
import type { buildStatusSchema, ProjectSpec } from '../crd';
import { API_VERSION, standardLabels } from './names';
import type { KubeObject } from './types';

export const BUILD_TRIGGER_ANNOTATION = 'reinhardt.dev/build-trigger';
export const PREVIEW_ACTION_ANNOTATION = 'reinhardt.dev/preview-action';
export const PR_NUMBER_ANNOTATION = 'reinhardt.dev/pr-number';
export const PR_BRANCH_ANNOTATION = 'reinhardt.dev/pr-branch';
/** The four annotations the control plane sets to request a build; cleared once a request is handled. */
export const BUILD_REQUEST_ANNOTATIONS = [
  BUILD_TRIGGER_ANNOTATION,
  PREVIEW_ACTION_ANNOTATION,
  PR_NUMBER_ANNOTATION,
  PR_BRANCH_ANNOTATION,
] as const;
/** Pinned: `latest` would change what a build runs under the operator's feet. */
export const DEFAULT_KANIKO_IMAGE = 'gcr.io/kaniko-project/executor:v1.23.2';
export const DEFAULT_BUILD_DEADLINE_SECONDS = 3600;
export const BUILD_BACKOFF_LIMIT = 2;
/** Kubernetes' default `backoffLimit` when a Job does not set one. */
const JOB_DEFAULT_BACKOFF_LIMIT = 6;

export type SourceBuildStatus = z.output<typeof buildStatusSchema>;

/** What the build annotations of a Project ask for (§8.1). */
export type BuildRequest =
  | { kind: 'none' }
  /** A trigger that must not start a build: the annotations are cleared and `reason` is logged. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'build'; build: SourceBuildStatus }
  /** `preview-action=create|update` without a trigger: only the preview's activity is refreshed. */
  | { kind: 'preview-activity'; prNumber: string; previewName: string };

export interface BuildSubject {
  name: string;
  namespace: string;
  uid?: string;
  annotations: Record<string, string>;
  spec: ProjectSpec;
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `spec.image` without its tag or digest; a `:` after the last `/` separates the tag (§8.1). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** `[A-Za-z0-9-]` kept, others `-`, lowercased, `-` trimmed; empty ⇒ `image`. */
export function sanitizeJobSuffix(tag: string): string {
  const cleaned = tag
    .replace(/[^A-Za-z0-9-]/g, '-')
    .toLowerCase()
    .replace(/^-+|-+$/g, '');
  return cleaned || 'image';
}

/** `<name>-build-<sanitized tag>`, shortened to the 63 characters a Job name (and its pod label) allows. */
export function buildJobName(name: string, imageTag: string): string {
  const full = `${name}-build-${sanitizeJobSuffix(imageTag)}`;
  return full.length <= 63 ? full : full.slice(0, 63).replace(/-+$/, '');
}

export function previewProjectName(parent: string, prNumber: string): string {
  return `${parent}-pr-${prNumber}`;
}

function isoSeconds(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Derives the build a Project's annotations request (§8.1); `none` when there is no trigger. */
export function buildRequest(subject: BuildSubject, now: Date): BuildRequest {
  const { annotations, spec, name } = subject;
  const trigger = nonBlank(annotations[BUILD_TRIGGER_ANNOTATION]);
  const action = nonBlank(annotations[PREVIEW_ACTION_ANNOTATION]);
  const previewAction = action === 'create' || action === 'update';
  const prNumber = previewAction ? nonBlank(annotations[PR_NUMBER_ANNOTATION]) : undefined;
  const previewsEnabled = spec.source?.preview?.enabled === true;
  if (!trigger) {
    if (previewAction && prNumber && /^\d+$/.test(prNumber) && previewsEnabled)
      return { kind: 'preview-activity', prNumber, previewName: previewProjectName(name, prNumber) };
    // A preview request that cannot be acted on is answered (cleared) rather than left on the Project.
    if (previewAction)
      return { kind: 'ignored', reason: `preview-action=${action} without a usable preview` };
    return { kind: 'none' };
  }
  if (!spec.source) return { kind: 'ignored', reason: 'spec.source is not set' };
  if (previewAction && !prNumber)
    return {
      kind: 'ignored',
      reason: `preview-action=${action} without a ${PR_NUMBER_ANNOTATION} annotation`,
    };
  if (prNumber && !/^\d+$/.test(prNumber))
    return { kind: 'ignored', reason: `${PR_NUMBER_ANNOTATION} '${prNumber}' is not a number` };
  if (!/^[A-Za-z0-9_.-]+$/.test(trigger.slice(0, 8)))
    return {
      kind: 'ignored',
      reason: `${BUILD_TRIGGER_ANNOTATION} '${trigger}' cannot name an image tag (use letters, digits, '_', '.', '-', e.g. a commit SHA)`,
    };
  if (prNumber && !previewsEnabled)
    return { kind: 'ignored', reason: 'preview build requested but source.preview.enabled is false' };

  const short = trigger.slice(0, 8);
  const imageTag = prNumber ? `pr-${prNumber}-${short}` : `${name}-${short}`;
  const base = nonBlank(spec.source.build?.registry) ?? imageRepository(spec.image);
  const branch = nonBlank(annotations[PR_BRANCH_ANNOTATION]) ?? nonBlank(spec.source.branch) ?? 'main';
  const at = isoSeconds(now);
  const build: SourceBuildStatus = {
    phase: 'pending',
    target: prNumber ? 'preview' : 'production',
    trigger,
    jobName: buildJobName(name, imageTag),
    image: `${base}:${imageTag}`,
    imageTag,
    branch,
    reason: 'BuildPending',
    message: 'Kaniko build Job has been accepted',
    startedAt: at,
    lastTransitionTime: at,
  };
  if (prNumber) {
    build.previewName = previewProjectName(name, prNumber);
    build.prNumber = prNumber;
  }
  return { kind: 'build', build };
}

/** Problems that refuse a build before any Job exists (§8.2 credentials, §11.4 pull secrets). */
export function buildProblems(subject: BuildSubject): string[] {
  const problems: string[] = [];
  const expected = `${subject.name}-git-credentials`;
  const credentials = subject.spec.source?.credentials_secret;
  if (credentials !== undefined && credentials !== expected)
    problems.push(`invalid source credentials secret '${credentials}': expected '${expected}'`);
  for (const ref of subject.spec.imagePullSecrets ?? []) {
    if (!ref.name.startsWith(`${subject.name}-`))
      problems.push(
        `invalid imagePullSecret '${ref.name}' for app '${subject.name}': secret names must start with ${subject.name}-`,
      );
  }
  return problems;
}

export interface KanikoOptions {
  executorImage?: string;
  deadlineSeconds?: number;
}

/** The Kaniko Job of a build (§8.2); a child of the Project (component `build`, controller owner reference). */
export function kanikoJob(
  subject: BuildSubject,
  build: SourceBuildStatus,
  options: KanikoOptions = {},
): KubeObject {
  const { name, namespace, spec } = subject;
  const source = spec.source;
  const labels = { ...standardLabels(namespace, name, 'web'), 'app.kubernetes.io/component': 'build' };
  const args = [
    `--git=branch=${nonBlank(build.branch) ?? nonBlank(source?.branch) ?? 'main'},url=${source?.repository ?? ''}`,
    `--dockerfile=${source?.build?.dockerfile ?? './Dockerfile'}`,
    `--context=dir://${source?.build?.context ?? '.'}`,
    `--destination=${build.image}`,
    '--cache=true',
  ];
  const buildArgs = source?.build?.build_args ?? {};
  for (const key of Object.keys(buildArgs).sort()) args.push(`--build-arg=${key}=${buildArgs[key]}`);
  const container: Record<string, unknown> = {
    name: 'kaniko',
    image: options.executorImage ?? DEFAULT_KANIKO_IMAGE,
    args,
  };
  const podSpec: Record<string, unknown> = { restartPolicy: 'Never', containers: [container] };
  const credentials = source?.credentials_secret;
  // Only the Project's own `<name>-git-credentials` may be mounted (buildProblems refuses any other name).
  if (credentials === `${name}-git-credentials`) {
    container.env = [
      { name: 'GIT_USERNAME', value: 'x-access-token' },
      {
        name: 'GIT_PASSWORD',
        valueFrom: { secretKeyRef: { name: credentials, key: 'git-token', optional: true } },
      },
    ];
    container.volumeMounts = [
      {
        name: 'registry-auth',
        mountPath: '/kaniko/.docker/config.json',
        subPath: 'config.json',
        readOnly: true,
      },
    ];
    podSpec.volumes = [
      {
        name: 'registry-auth',
        secret: {
          secretName: credentials,
          items: [{ key: 'registry-auth', path: 'config.json' }],
          optional: true,
        },
      },
    ];
  }
  const pullSecrets = (spec.imagePullSecrets ?? []).filter((r) => r.name.startsWith(`${name}-`));
  if (pullSecrets.length > 0) podSpec.imagePullSecrets = pullSecrets.map((r) => ({ name: r.name }));
  const metadata: KubeObject['metadata'] = {
    name: build.jobName,
    namespace,
    labels,
    annotations: { [BUILD_TRIGGER_ANNOTATION]: build.trigger },
  };
  if (subject.uid)
    metadata.ownerReferences = [
      {
        apiVersion: API_VERSION,
        kind: 'Project',
        name,
        uid: subject.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: BUILD_BACKOFF_LIMIT,
      activeDeadlineSeconds: options.deadlineSeconds ?? DEFAULT_BUILD_DEADLINE_SECONDS,
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

export type JobOutcome =
  | { state: 'running' }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string; message: string };

/** §8.3 step 6: what a Kaniko Job's status says. */
export function classifyBuildJob(job: KubeObject): JobOutcome {
  const status = (job.status ?? {}) as {
    succeeded?: number;
    failed?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
  const conditions = status.conditions ?? [];
  if ((status.succeeded ?? 0) > 0 || conditions.some((c) => c.type === 'Complete' && c.status === 'True'))
    return { state: 'succeeded' };
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed)
    return {
      state: 'failed',
      reason: failed.reason || 'JobFailed',
      message: failed.message || 'Kaniko build Job reported a failed condition',
    };
  const limit =
    (job.spec as { backoffLimit?: number } | undefined)?.backoffLimit ?? JOB_DEFAULT_BACKOFF_LIMIT;
  if ((status.failed ?? 0) > limit)
    return {
      state: 'failed',
      reason: 'BackoffLimitExceeded',
      message: `Kaniko build Job failed ${status.failed} times (backoffLimit ${limit})`,
    };
  return { state: 'running' };
}

/**
 * The build record after a phase change: `lastTransitionTime` is kept when phase, trigger and Job are unchanged
 * (crd.md §6.4).
 */
export function transitionBuild(
  build: SourceBuildStatus,
  phase: SourceBuildStatus['phase'],
  reason: string,
  message: string,
  now: Date,
): SourceBuildStatus {
  const same = build.phase === phase;
  return {
    ...build,
    phase,
    reason,
    message,
    lastTransitionTime: same && build.lastTransitionTime ? build.lastTransitionTime : isoSeconds(now),
  };
}

/** Build Jobs to delete: all but the `keep` newest and the current one (their logs stay readable). */
export function staleBuildJobs(
  jobs: readonly KubeObject[],
  current: string | undefined,
  keep = 3,
): KubeObject[] {
  const sorted = [...jobs].sort(
    (a, b) =>
      String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')) ||
      b.metadata.name.localeCompare(a.metadata.name),
  );
  return sorted.slice(keep).filter((j) => j.metadata.name !== current && !j.metadata.deletionTimestamp);
}
