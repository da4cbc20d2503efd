import { describe, expect, it } from 'vitest';
import { projectSpecSchema } from '../crd';
import {
  BUILD_TRIGGER_ANNOTATION,
  type BuildSubject,
  buildJobName,
  buildProblems,
  buildRequest,
  classifyBuildJob,
  DEFAULT_KANIKO_IMAGE,
  imageRepository,
  kanikoJob,
  PR_BRANCH_ANNOTATION,
  PR_NUMBER_ANNOTATION,
  PREVIEW_ACTION_ANNOTATION,
  type SourceBuildStatus,
  sanitizeJobSuffix,
  staleBuildJobs,
  transitionBuild,
} from './build';
import type { KubeObject } from './types';

const NOW = new Date('2026-01-02T03:04:05.678Z');

function subject(
  spec: Record<string, unknown>,
  annotations: Record<string, string> = {},
  name = 'source-build-app',
): BuildSubject {
  return {
    name,
    namespace: 'apps',
    uid: 'uid-1',
    annotations,
    spec: projectSpecSchema.parse({ image: 'registry.local/reinhardt/source-build-app:old', ...spec }),
  };
}

const SOURCE = {
  repository: 'https://git.example.test/org/app.git',
  build: { registry: 'registry.local/reinhardt/source-build-app' },
};

function request(spec: Record<string, unknown>, annotations: Record<string, string>) {
  return buildRequest(subject(spec, annotations), NOW);
}

describe('imageRepository', () => {
  it.each([
    ['localhost:5000/org/app:latest', 'localhost:5000/org/app'],
    ['localhost:5000/org/app', 'localhost:5000/org/app'],
    ['app:1.0', 'app'],
    ['registry.example.test/app@sha256:abc', 'registry.example.test/app'],
    ['registry.example.test/app:1@sha256:abc', 'registry.example.test/app'],
  ])('%s → %s', (image, repository) => {
    expect(imageRepository(image)).toBe(repository);
  });
});

describe('job naming', () => {
  it.each([
    ['source-build-app-abcdef12', 'source-build-app-abcdef12'],
    ['pr-42-ABC_def', 'pr-42-abc-def'],
    ['--x.y--', 'x-y'],
    ['___', 'image'],
  ])('sanitizeJobSuffix(%s) = %s', (tag, suffix) => {
    expect(sanitizeJobSuffix(tag)).toBe(suffix);
  });

  it('keeps a long Job name within 63 characters without a trailing dash', () => {
    const name = buildJobName('a'.repeat(40), `${'a'.repeat(40)}-12345678`);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.endsWith('-')).toBe(false);
  });
});

describe('buildRequest (§8.1)', () => {
  it('derives the worked example of §8.1', () => {
    const result = request({ source: SOURCE }, { [BUILD_TRIGGER_ANNOTATION]: 'abcdef1234567890' });
    expect(result).toEqual({
      kind: 'build',
      build: {
        phase: 'pending',
        target: 'production',
        trigger: 'abcdef1234567890',
        jobName: 'source-build-app-build-source-build-app-abcdef12',
        image: 'registry.local/reinhardt/source-build-app:source-build-app-abcdef12',
        imageTag: 'source-build-app-abcdef12',
        branch: 'main',
        reason: 'BuildPending',
        message: 'Kaniko build Job has been accepted',
        startedAt: '2026-01-02T03:04:05Z',
        lastTransitionTime: '2026-01-02T03:04:05Z',
      },
    });
  });

  it('uses spec.image without its tag when no registry is set', () => {
    const result = buildRequest(
      {
        ...subject({ source: { repository: 'r' } }, { [BUILD_TRIGGER_ANNOTATION]: 'initial' }),
        spec: projectSpecSchema.parse({
          image: 'localhost:5000/org/app:latest',
          source: { repository: 'r' },
        }),
      },
      NOW,
    );
    expect(result.kind === 'build' && result.build.image).toBe(
      'localhost:5000/org/app:source-build-app-initial',
    );
  });

  const previewSource = { ...SOURCE, branch: 'develop', preview: { enabled: true } };
  it.each<[string, Record<string, unknown>, Record<string, string>, string]>([
    ['no trigger', { source: SOURCE }, {}, 'none'],
    ['blank trigger', { source: SOURCE }, { [BUILD_TRIGGER_ANNOTATION]: '  ' }, 'none'],
    ['trigger without spec.source', {}, { [BUILD_TRIGGER_ANNOTATION]: 'abc' }, 'ignored'],
    [
      'malformed preview request (no PR number)',
      { source: previewSource },
      { [BUILD_TRIGGER_ANNOTATION]: 'abc', [PREVIEW_ACTION_ANNOTATION]: 'create' },
      'ignored',
    ],
    [
      'disabled preview request',
      { source: SOURCE },
      {
        [BUILD_TRIGGER_ANNOTATION]: 'abc',
        [PREVIEW_ACTION_ANNOTATION]: 'create',
        [PR_NUMBER_ANNOTATION]: '7',
      },
      'ignored',
    ],
    [
      'non-numeric PR number',
      { source: previewSource },
      {
        [BUILD_TRIGGER_ANNOTATION]: 'abc',
        [PREVIEW_ACTION_ANNOTATION]: 'create',
        [PR_NUMBER_ANNOTATION]: '7/../x',
      },
      'ignored',
    ],
    [
      'trigger that cannot be a tag',
      { source: SOURCE },
      { [BUILD_TRIGGER_ANNOTATION]: 'feat/x y' },
      'ignored',
    ],
    [
      'preview action without a trigger refreshes activity',
      { source: previewSource },
      { [PREVIEW_ACTION_ANNOTATION]: 'update', [PR_NUMBER_ANNOTATION]: '7' },
      'preview-activity',
    ],
    [
      'preview action without a trigger while previews are disabled',
      { source: SOURCE },
      { [PREVIEW_ACTION_ANNOTATION]: 'update', [PR_NUMBER_ANNOTATION]: '7' },
      'ignored',
    ],
    [
      'pr-number without a preview action is a production build',
      { source: previewSource },
      { [BUILD_TRIGGER_ANNOTATION]: 'abc', [PR_NUMBER_ANNOTATION]: '7' },
      'build',
    ],
  ])('%s → %s', (_case, spec, annotations, kind) => {
    expect(request(spec, annotations).kind).toBe(kind);
  });

  it('derives a preview build with the branch override', () => {
    const result = request(
      { source: previewSource },
      {
        [BUILD_TRIGGER_ANNOTATION]: '0123456789abcdef',
        [PREVIEW_ACTION_ANNOTATION]: 'create',
        [PR_NUMBER_ANNOTATION]: '42',
        [PR_BRANCH_ANNOTATION]: 'feature/login',
      },
    );
    expect(result.kind).toBe('build');
    if (result.kind !== 'build') return;
    expect(result.build).toMatchObject({
      target: 'preview',
      imageTag: 'pr-42-01234567',
      jobName: 'source-build-app-build-pr-42-01234567',
      image: 'registry.local/reinhardt/source-build-app:pr-42-01234567',
      previewName: 'source-build-app-pr-42',
      prNumber: '42',
      branch: 'feature/login',
    });
  });

  it('falls back to source.branch when the override is blank', () => {
    const result = request(
      { source: previewSource },
      {
        [BUILD_TRIGGER_ANNOTATION]: 'abc',
        [PREVIEW_ACTION_ANNOTATION]: 'update',
        [PR_NUMBER_ANNOTATION]: '1',
        [PR_BRANCH_ANNOTATION]: ' ',
      },
    );
    expect(result.kind === 'build' && result.build.branch).toBe('develop');
  });
});

describe('buildProblems (§8.2, §11.4)', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'own credentials',
      { source: { ...SOURCE, credentials_secret: 'source-build-app-git-credentials' } },
      [],
    ],
    [
      'foreign credentials',
      { source: { ...SOURCE, credentials_secret: 'other-git-credentials' } },
      [
        "invalid source credentials secret 'other-git-credentials': expected 'source-build-app-git-credentials'",
      ],
    ],
    [
      'foreign pull secret',
      { source: SOURCE, imagePullSecrets: [{ name: 'source-build-app-pull' }, { name: 'shared-pull' }] },
      [
        "invalid imagePullSecret 'shared-pull' for app 'source-build-app': secret names must start with source-build-app-",
      ],
    ],
  ])('%s', (_case, spec, problems) => {
    expect(buildProblems(subject(spec))).toEqual(problems);
  });
});

function pendingBuild(spec: Record<string, unknown>, annotations: Record<string, string>): SourceBuildStatus {
  const result = request(spec, annotations);
  if (result.kind !== 'build') throw new Error(`expected a build, got ${result.kind}`);
  return result.build;
}

describe('kanikoJob (§8.2)', () => {
  const spec = {
    source: {
      ...SOURCE,
      branch: 'release',
      credentials_secret: 'source-build-app-git-credentials',
      build: {
        ...SOURCE.build,
        dockerfile: 'docker/Dockerfile',
        context: 'app',
        build_args: { Z: '1', A: 'x=y' },
      },
    },
    imagePullSecrets: [{ name: 'source-build-app-pull' }],
  };
  const build = pendingBuild(spec, { [BUILD_TRIGGER_ANNOTATION]: 'abcdef1234567890' });
  const job = kanikoJob(subject(spec), build, { executorImage: 'kaniko:v1', deadlineSeconds: 60 });
  const pod = (job.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
    containers: { image: string; args: string[]; env: unknown[]; volumeMounts: unknown[] }[];
    volumes: unknown[];
    imagePullSecrets: unknown[];
    restartPolicy: string;
  };

  it('runs the executor with the exact arguments in order', () => {
    expect(pod.containers[0]?.image).toBe('kaniko:v1');
    expect(pod.containers[0]?.args).toEqual([
      '--git=branch=release,url=https://git.example.test/org/app.git',
      '--dockerfile=docker/Dockerfile',
      '--context=dir://app',
      '--destination=registry.local/reinhardt/source-build-app:source-build-app-abcdef12',
      '--cache=true',
      '--build-arg=A=x=y',
      '--build-arg=Z=1',
    ]);
  });

  it('is a child of the Project with component build, a deadline and backoffLimit 2', () => {
    expect(job.metadata.name).toBe('source-build-app-build-source-build-app-abcdef12');
    expect(job.metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'build',
      'app.kubernetes.io/instance': 'source-build-app',
      'app.kubernetes.io/managed-by': 'reinhardt-cloud-operator',
    });
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Project',
      uid: 'uid-1',
      controller: true,
    });
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 60 });
    expect(pod.restartPolicy).toBe('Never');
  });

  it('mounts only the Project git credentials and its validated pull secrets', () => {
    expect(pod.containers[0]?.env).toEqual([
      { name: 'GIT_USERNAME', value: 'x-access-token' },
      {
        name: 'GIT_PASSWORD',
        valueFrom: {
          secretKeyRef: { name: 'source-build-app-git-credentials', key: 'git-token', optional: true },
        },
      },
    ]);
    expect(pod.volumes).toEqual([
      {
        name: 'registry-auth',
        secret: {
          secretName: 'source-build-app-git-credentials',
          items: [{ key: 'registry-auth', path: 'config.json' }],
          optional: true,
        },
      },
    ]);
    expect(pod.containers[0]?.volumeMounts).toEqual([
      {
        name: 'registry-auth',
        mountPath: '/kaniko/.docker/config.json',
        subPath: 'config.json',
        readOnly: true,
      },
    ]);
    expect(pod.imagePullSecrets).toEqual([{ name: 'source-build-app-pull' }]);
  });

  it('defaults: pinned executor, 3600 s deadline, ./Dockerfile, context ., branch main, no credentials', () => {
    const plain = kanikoJob(
      subject({ source: SOURCE }),
      pendingBuild({ source: SOURCE }, { [BUILD_TRIGGER_ANNOTATION]: 'a' }),
    );
    const container = (plain.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec.containers[0];
    expect(DEFAULT_KANIKO_IMAGE).not.toMatch(/:latest$/);
    expect(container?.image).toBe(DEFAULT_KANIKO_IMAGE);
    expect((plain.spec as { activeDeadlineSeconds: number }).activeDeadlineSeconds).toBe(3600);
    expect(container?.args).toEqual([
      '--git=branch=main,url=https://git.example.test/org/app.git',
      '--dockerfile=./Dockerfile',
      '--context=dir://.',
      '--destination=registry.local/reinhardt/source-build-app:source-build-app-a',
      '--cache=true',
    ]);
    expect(container?.env).toBeUndefined();
  });

  it('never mounts a credentials Secret of another name', () => {
    const foreign = { source: { ...SOURCE, credentials_secret: 'other-git-credentials' } };
    const other = kanikoJob(subject(foreign), pendingBuild(foreign, { [BUILD_TRIGGER_ANNOTATION]: 'a' }));
    expect(JSON.stringify(other)).not.toContain('other-git-credentials');
  });
});

function job(status: Record<string, unknown>, backoffLimit?: number): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { backoffLimit }, status };
}

describe('classifyBuildJob (§8.3)', () => {
  it.each<[string, KubeObject, unknown]>([
    ['no status', job({}), { state: 'running' }],
    ['active', job({ active: 1 }), { state: 'running' }],
    ['succeeded count', job({ succeeded: 1 }), { state: 'succeeded' }],
    [
      'Complete condition',
      job({ conditions: [{ type: 'Complete', status: 'True' }] }),
      { state: 'succeeded' },
    ],
    [
      'Failed condition',
      job({
        conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'too slow' }],
      }),
      { state: 'failed', reason: 'DeadlineExceeded', message: 'too slow' },
    ],
    [
      'Failed condition without details',
      job({ conditions: [{ type: 'Failed', status: 'True' }] }),
      { state: 'failed', reason: 'JobFailed', message: 'Kaniko build Job reported a failed condition' },
    ],
    ['failures within the limit', job({ failed: 2 }, 2), { state: 'running' }],
    [
      'failures past the limit',
      job({ failed: 3 }, 2),
      {
        state: 'failed',
        reason: 'BackoffLimitExceeded',
        message: 'Kaniko build Job failed 3 times (backoffLimit 2)',
      },
    ],
    ['default limit 6', job({ failed: 6 }), { state: 'running' }],
  ])('%s', (_case, object, outcome) => {
    expect(classifyBuildJob(object)).toEqual(outcome);
  });
});

describe('transitionBuild', () => {
  const build = pendingBuild({ source: SOURCE }, { [BUILD_TRIGGER_ANNOTATION]: 'abc' });
  it('keeps lastTransitionTime while the phase stays', () => {
    const later = new Date('2026-01-02T04:00:00Z');
    expect(transitionBuild(build, 'pending', 'BuildPending', 'm', later).lastTransitionTime).toBe(
      '2026-01-02T03:04:05Z',
    );
    expect(transitionBuild(build, 'running', 'BuildRunning', 'm', later)).toMatchObject({
      phase: 'running',
      reason: 'BuildRunning',
      lastTransitionTime: '2026-01-02T04:00:00Z',
      startedAt: '2026-01-02T03:04:05Z',
    });
  });
});

describe('staleBuildJobs', () => {
  const at = (name: string, minute: number): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, creationTimestamp: `2026-01-01T00:0${minute}:00Z` },
  });
  it('keeps the newest three and the current one', () => {
    const jobs = [at('a', 1), at('b', 2), at('c', 3), at('d', 4), at('e', 5)];
    expect(staleBuildJobs(jobs, 'a').map((j) => j.metadata.name)).toEqual(['b']);
    expect(staleBuildJobs(jobs, 'e').map((j) => j.metadata.name)).toEqual(['b', 'a']);
  });
});
