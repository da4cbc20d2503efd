// Source builds (operator.md §8) and the preview steps around them (§9), run by the controller before render.
// D13: a failed Kaniko build never blocks the reconcile. The Project keeps serving and reconciling its current
// `spec.image`; the failure is reported (`status.build.phase=failed`, `Degraded=True BuildFailed`) and cleared by
// a new trigger; re-posting the same trigger deletes the failed Job and builds again.
import {
  BUILD_REQUEST_ANNOTATIONS,
  type BuildSubject,
  buildProblems,
  buildRequest,
  classifyBuildJob,
  type KubeObject,
  kanikoJob,
  PR_NUMBER_ANNOTATION,
  PREVIEW_ACTION_ANNOTATION,
  type PreviewStatusEntry,
  previewProjectName,
  projectSpecSchema,
  type RenderCondition,
  type RenderResult,
  type SourceBuildStatus,
  staleBuildJobs,
  transitionBuild,
} from '@reinhardt-cloud/core';
import type { OperatorConfig } from './config';
import type { InformerSet } from './informer';
import { isStatus, type KubeClient, RESOURCES } from './kube';
import type { Logger } from './log';
import type { Previews } from './previews';
import { previewsEnabled } from './previews';

const FIELD_MANAGER = 'reinhardt-cloud-operator';
/** §8: a running build is looked at again after this long (Job events usually come first). */
export const BUILD_REQUEUE_MS = 10_000;
const BUILD_COMPONENT = 'build';

export function isBuildJob(object: KubeObject): boolean {
  return object.kind === 'Job' && object.metadata.labels?.['app.kubernetes.io/component'] === BUILD_COMPONENT;
}

/** What the source steps decided; the controller folds it into the render result and the status write. */
export interface SourceOutcome {
  /** The Project after the steps' own writes (annotations cleared, `spec.image` of a successful build). */
  project: KubeObject;
  /** `undefined`: leave `status.build` as it is; `null`: remove it. */
  build?: SourceBuildStatus | null;
  previews?: PreviewStatusEntry[] | null;
  /** Build conditions (Progressing, Degraded) for `overlaySource`. */
  conditions: RenderCondition[];
  requeueAfter?: number;
}

export interface SourceStepsOptions {
  client: KubeClient;
  config: OperatorConfig;
  log: Logger;
  jobs: () => InformerSet | undefined;
  previews: Previews;
}

function nowDate(): Date {
  return new Date();
}

function minDelay(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** JSON-pointer escaping of a map key (`/` in annotation names). */
function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A merge patch that replaces `before` with `after` (keys only in `before` set to null). */
export function replacingPatch(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...after };
  for (const key of Object.keys(before ?? {})) if (!(key in after)) patch[key] = null;
  return patch;
}

function buildConditions(build: SourceBuildStatus | null | undefined): RenderCondition[] {
  if (!build) return [];
  const message = build.message ?? '';
  const reason = build.reason ?? '';
  switch (build.phase) {
    case 'pending':
    case 'running':
      return [{ type: 'Progressing', status: 'True', reason, message }];
    case 'succeeded':
      return [{ type: 'Progressing', status: 'False', reason: 'BuildSucceeded', message }];
    case 'failed': {
      // Refusals (bad credentials Secret, a preview whose host would be rejected) keep their own reason.
      const degraded = reason === 'BuildRefused' || reason === 'PreviewRefused' ? reason : 'BuildFailed';
      return [
        { type: 'Degraded', status: 'True', reason: degraded, message },
        { type: 'Progressing', status: 'False', reason: degraded, message },
      ];
    }
  }
}

/**
 * Folds the build state into the render result: Progressing from the build; a failed build sets
 * `Degraded=True` (unless render already reports a degradation) and phase `degraded`; a build in progress
 * phase `deploying` while the current version serves. Ready stays render's: the app keeps serving (D13).
 */
export function overlaySource(result: RenderResult, outcome: SourceOutcome): RenderResult {
  if (outcome.conditions.length === 0 || result.issues.length > 0) return result;
  const conditions = [...result.conditions];
  let phase = result.phase;
  for (const c of outcome.conditions) {
    const i = conditions.findIndex((x) => x.type === c.type);
    if (c.type === 'Degraded') {
      if (i >= 0 && conditions[i]?.status === 'True') continue;
      if (phase !== 'failed') phase = 'degraded';
    }
    if (c.type === 'Progressing' && c.status === 'True' && phase === 'running') phase = 'deploying';
    if (i >= 0) conditions[i] = c;
    else conditions.push(c);
  }
  return { ...result, conditions, phase };
}

export class SourceSteps {
  constructor(private readonly options: SourceStepsOptions) {}

  /** Clears the build request annotations, only if they still hold the values read (a newer request stays). */
  private async clearRequest(project: KubeObject): Promise<KubeObject | undefined> {
    const annotations = project.metadata.annotations ?? {};
    const ops: unknown[] = [];
    for (const key of BUILD_REQUEST_ANNOTATIONS) {
      if (annotations[key] === undefined) continue;
      const path = `/metadata/annotations/${pointer(key)}`;
      ops.push({ op: 'test', path, value: annotations[key] }, { op: 'remove', path });
    }
    if (ops.length === 0) return project;
    try {
      return await this.options.client.patch(
        RESOURCES.Project,
        project.metadata.namespace ?? '',
        project.metadata.name,
        ops,
        'json',
      );
    } catch (error) {
      // A test failed: the control plane posted a new request meanwhile; it is handled on the next reconcile.
      if (isStatus(error, 409, 422, 500)) return undefined;
      throw error;
    }
  }

  private async patchBuild(project: KubeObject, build: SourceBuildStatus | null): Promise<KubeObject> {
    const current = (project.status as { build?: Record<string, unknown> } | undefined)?.build;
    return this.options.client.patch(
      RESOURCES.Project,
      project.metadata.namespace ?? '',
      project.metadata.name,
      { status: { build: build ? replacingPatch(current, build as Record<string, unknown>) : null } },
      'merge',
      'status',
    );
  }

  /** Steps 5-8 of operator.md §4. A spec that does not parse is left to render, which reports it. */
  async run(input: KubeObject, log: Logger): Promise<SourceOutcome> {
    let project = input;
    const wantsSource =
      (project.spec as { source?: unknown } | undefined)?.source !== undefined ||
      BUILD_REQUEST_ANNOTATIONS.some((k) => project.metadata.annotations?.[k] !== undefined);
    if (!wantsSource) {
      const stale = (project.status as { build?: unknown; previews?: unknown } | undefined) ?? {};
      // No source (any more): a leftover build record and preview list are dropped.
      return stale.build || stale.previews
        ? { project, conditions: [], build: null, previews: null }
        : { project, conditions: [] };
    }
    // The build record lives in the status this step writes itself: read it fresh, not from the cache, or a
    // reconcile that runs before the watch delivered our last write would act on (and write back) an old record.
    const fresh = await this.options.client.get(
      RESOURCES.Project,
      project.metadata.namespace ?? '',
      project.metadata.name,
    );
    if (!fresh) return { project, conditions: [] };
    project = fresh;
    const parsed = projectSpecSchema.safeParse(project.spec ?? {});
    if (!parsed.success) return { project, conditions: [] };
    const { previews } = this.options;
    const annotations = project.metadata.annotations ?? {};
    let build = ((project.status as { build?: SourceBuildStatus } | undefined)?.build ?? undefined) as
      | SourceBuildStatus
      | undefined
      | null;
    let requeueAfter: number | undefined;
    const enabled = previewsEnabled(project);

    if (enabled) await previews.ensureGuardrails(project, log);

    // §9.5 preview-action=delete, regardless of preview.enabled.
    if (annotations[PREVIEW_ACTION_ANNOTATION]?.trim() === 'delete') {
      const pr = annotations[PR_NUMBER_ANNOTATION]?.trim();
      const conditions: RenderCondition[] = [];
      if (pr) {
        const previewName = previewProjectName(project.metadata.name, pr);
        if (build?.target === 'preview' && (build.prNumber === pr || build.previewName === previewName)) {
          await this.options.client
            .delete(RESOURCES.Job, project.metadata.namespace ?? '', build.jobName)
            .catch((error) => log.warn('could not delete the preview build Job', { error }));
          project = await this.patchBuild(project, null);
          build = null;
          const message = `preview ${previewName} deleted while building`;
          conditions.push(
            { type: 'Progressing', status: 'False', reason: 'PreviewDeleted', message },
            { type: 'Degraded', status: 'False', reason: 'PreviewDeleted', message },
          );
        }
        await previews.remove(project, previewName, log);
      } else log.warn('preview-action=delete without a pr-number annotation: ignored');
      project = (await this.clearRequest(project)) ?? project;
      const outcome: SourceOutcome = { project, conditions, build };
      if (enabled) outcome.previews = previews.statuses(project) ?? null;
      return outcome;
    }

    if (enabled) requeueAfter = await previews.expire(project, log);

    // Without spec.source a request is still answered: it is ignored and its annotations cleared.
    if (parsed.data.source || BUILD_REQUEST_ANNOTATIONS.some((k) => annotations[k] !== undefined)) {
      const gate = await this.gate(project, parsed.data, build ?? undefined, log);
      project = gate.project;
      if (gate.build !== undefined) build = gate.build;
      requeueAfter = minDelay(requeueAfter, gate.requeueAfter);
      await this.cleanup(project, build?.jobName, log);
    }
    const outcome: SourceOutcome = {
      project,
      conditions: parsed.data.source ? buildConditions(build) : [],
      build,
    };
    if (requeueAfter !== undefined) outcome.requeueAfter = requeueAfter;
    if (enabled || (project.status as { previews?: unknown } | undefined)?.previews)
      outcome.previews = (enabled ? previews.statuses(project) : undefined) ?? null;
    return outcome;
  }

  /** §8.3 with D13 fixed: new requests, the active build's Job, and what a finished build does. */
  private async gate(
    input: KubeObject,
    spec: BuildSubject['spec'],
    current: SourceBuildStatus | undefined,
    log: Logger,
  ): Promise<{ project: KubeObject; build?: SourceBuildStatus; requeueAfter?: number }> {
    const { client, config, previews } = this.options;
    let project = input;
    const namespace = project.metadata.namespace ?? '';
    const subject: BuildSubject = {
      name: project.metadata.name,
      namespace,
      uid: project.metadata.uid as string | undefined,
      annotations: project.metadata.annotations ?? {},
      spec,
    };
    const now = nowDate();
    const request = buildRequest(subject, now);
    let build = current;
    let created = false;
    let job: KubeObject | undefined;

    if (request.kind === 'ignored') {
      log.warn('build request ignored; annotations cleared', { reason: request.reason });
      project = (await this.clearRequest(project)) ?? project;
    } else if (request.kind === 'preview-activity') {
      await previews.touch(project, request.previewName, log);
      project = (await this.clearRequest(project)) ?? project;
    } else if (request.kind === 'build') {
      const wanted = request.build;
      const problems = buildProblems(subject);
      let reason = 'BuildRefused';
      if (problems.length === 0 && wanted.target === 'preview' && wanted.prNumber) {
        const problem = previews.problem(project, wanted.prNumber, wanted.branch);
        if (problem) {
          problems.push(problem);
          reason = 'PreviewRefused';
        }
      }
      if (problems.length > 0) {
        // Refused before any Job exists (a broken preview is never created); reported until the next request.
        build = { ...wanted, phase: 'failed', reason, message: problems.join('; ') };
        log.warn('build request refused', { reason, message: build.message });
        project = await this.patchBuild(project, build);
        project = (await this.clearRequest(project)) ?? project;
        return { project, build };
      }
      if (wanted.target === 'preview' && wanted.previewName)
        await previews.touch(project, wanted.previewName, log);
      job = await client.get(RESOURCES.Job, namespace, wanted.jobName);
      if (job && !isBuildJob(job))
        throw new Error(
          `refusing to reuse Job ${namespace}/${wanted.jobName}: it is not a build Job of ${subject.name}`,
        );
      if (job?.metadata.deletionTimestamp) return { project, requeueAfter: 1000 };
      if (job && classifyBuildJob(job).state === 'failed') {
        // The same trigger again after a failure: a retry. The failed Job goes; the next reconcile creates it.
        log.info('retrying failed build', { job: wanted.jobName, trigger: wanted.trigger });
        await client.delete(RESOURCES.Job, namespace, wanted.jobName);
        return { project, requeueAfter: 1000 };
      }
      if (!job) {
        const body = kanikoJob(subject, wanted, {
          executorImage: config.build.executorImage,
          deadlineSeconds: config.build.deadlineSeconds,
        });
        try {
          await client.create(RESOURCES.Job, body, FIELD_MANAGER);
          created = true;
          log.info(`Created build Job ${namespace}/${wanted.jobName}`, {
            image: wanted.image,
            target: wanted.target,
          });
        } catch (error) {
          if (isStatus(error, 409)) return { project, requeueAfter: 1000 };
          if (!isStatus(error, 400, 403, 422)) throw error;
          // Reported like a failed build, never a reason to stop reconciling the Project (D13).
          build = {
            ...wanted,
            phase: 'failed',
            reason: 'JobRejected',
            message: `the API server rejected build Job ${namespace}/${wanted.jobName}: ${(error as Error).message}`,
          };
          log.warn('build Job rejected', { message: build.message });
          project = await this.patchBuild(project, build);
          project = (await this.clearRequest(project)) ?? project;
          return { project, build };
        }
      }
      build = wanted;
      // Recorded before the request is cleared: a crash in between repeats an idempotent step, never loses it.
      project = await this.patchBuild(project, build);
      const cleared = await this.clearRequest(project);
      if (!cleared) return { project, build, requeueAfter: 1000 };
      project = cleared;
    }

    if (!build || (build.phase !== 'pending' && build.phase !== 'running')) return { project, build };
    if (created) return { project, build, requeueAfter: BUILD_REQUEUE_MS };
    job ??=
      this.options.jobs()?.get(namespace, build.jobName) ??
      (await client.get(RESOURCES.Job, namespace, build.jobName));
    if (!job) {
      build = transitionBuild(
        build,
        'failed',
        'BuildJobMissing',
        `Kaniko build Job ${build.jobName} is missing`,
        now,
      );
      return { project, build };
    }
    const outcome = classifyBuildJob(job);
    if (outcome.state === 'running') {
      build = transitionBuild(
        build,
        'running',
        'BuildRunning',
        `Kaniko build Job ${build.jobName} is running`,
        now,
      );
      return { project, build, requeueAfter: BUILD_REQUEUE_MS };
    }
    if (outcome.state === 'failed') {
      build = transitionBuild(
        build,
        'failed',
        outcome.reason,
        `Kaniko build Job ${build.jobName} failed (${outcome.reason}): ${outcome.message}. The current image keeps serving; post a new ${BUILD_REQUEST_ANNOTATIONS[0]} (or the same one again) to retry`,
        now,
      );
      return { project, build };
    }
    if (build.target === 'production') {
      if ((project.spec as { image?: string }).image !== build.image) {
        project = await client.patch(
          RESOURCES.Project,
          namespace,
          project.metadata.name,
          { spec: { image: build.image } },
          'merge',
        );
        log.info('build succeeded: spec.image updated', { image: build.image });
      }
    } else {
      try {
        await previews.upsert(project, build, log);
      } catch (error) {
        if (!isStatus(error, 400, 403, 422)) throw error;
        // A preview the API server refuses is reported on the parent, which keeps reconciling (D13).
        build = transitionBuild(
          build,
          'failed',
          'PreviewApplyFailed',
          `preview Project ${build.previewName} could not be applied: ${(error as Error).message}`,
          now,
        );
        return { project, build };
      }
    }
    build = transitionBuild(
      build,
      'succeeded',
      'BuildSucceeded',
      `Kaniko build Job ${build.jobName} succeeded: ${build.image}`,
      now,
    );
    return { project, build };
  }

  /** Older build Jobs go; the current one and the few newest stay for their logs. */
  private async cleanup(project: KubeObject, current: string | undefined, log: Logger): Promise<void> {
    const key = `${project.metadata.namespace}/${project.metadata.name}`;
    const jobs = (this.options.jobs()?.byIndex(key) ?? []).filter(isBuildJob);
    for (const job of staleBuildJobs(jobs, current)) {
      await this.options.client.delete(RESOURCES.Job, job.metadata.namespace ?? '', job.metadata.name);
      log.info(`Deleted old build Job ${job.metadata.namespace}/${job.metadata.name}`);
    }
  }
}
