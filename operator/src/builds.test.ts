import type { KubeObject, RenderResult } from '@reinhardt-cloud/core';
import { describe, expect, it } from 'vitest';
import { isBuildJob, overlaySource, replacingPatch } from './builds';
import { loadConfig } from './config';

function result(phase: RenderResult['phase'], degraded: 'True' | 'False' = 'False'): RenderResult {
  return {
    objects: [],
    conditions: [
      { type: 'Ready', status: 'True', reason: 'ReconcileSuccess', message: 'ok' },
      {
        type: 'Degraded',
        status: degraded,
        reason: degraded === 'True' ? 'MigrationFailed' : 'ReconcileSuccess',
        message: 'm',
      },
    ],
    phase,
    issues: [],
    migration: { state: 'NotRequired', retry: false },
    readyReplicas: 1,
  };
}

const project: KubeObject = { apiVersion: 'v1', kind: 'Project', metadata: { name: 'p' } };

describe('overlaySource', () => {
  it('reports a failed build as Degraded without touching Ready (D13)', () => {
    const out = overlaySource(result('running'), {
      project,
      conditions: [
        { type: 'Degraded', status: 'True', reason: 'BuildFailed', message: 'boom' },
        { type: 'Progressing', status: 'False', reason: 'BuildFailed', message: 'boom' },
      ],
    });
    expect(out.phase).toBe('degraded');
    expect(out.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(out.conditions.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'BuildFailed',
    });
    expect(out.conditions.find((c) => c.type === 'Progressing')?.status).toBe('False');
  });

  it('keeps a degradation render found (a failed migration wins over a failed build)', () => {
    const out = overlaySource(result('degraded', 'True'), {
      project,
      conditions: [{ type: 'Degraded', status: 'True', reason: 'BuildFailed', message: 'boom' }],
    });
    expect(out.conditions.find((c) => c.type === 'Degraded')?.reason).toBe('MigrationFailed');
  });

  it('shows a running build as deploying while the current version serves', () => {
    const out = overlaySource(result('running'), {
      project,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'BuildRunning', message: 'r' }],
    });
    expect(out.phase).toBe('deploying');
    expect(out.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('leaves an invalid Project alone', () => {
    const invalid = { ...result('failed'), issues: [{ path: 'spec', message: 'bad' }] };
    const out = overlaySource(invalid, {
      project,
      conditions: [{ type: 'Degraded', status: 'True', reason: 'BuildFailed', message: 'boom' }],
    });
    expect(out).toBe(invalid);
  });
});

describe('replacingPatch', () => {
  it('nulls keys the new record lacks', () => {
    expect(replacingPatch({ a: 1, previewName: 'x' }, { a: 2 })).toEqual({ a: 2, previewName: null });
    expect(replacingPatch(undefined, { a: 2 })).toEqual({ a: 2 });
  });
});

describe('isBuildJob', () => {
  it('is a Job of component build', () => {
    const job = (component: string, kind = 'Job'): KubeObject => ({
      apiVersion: 'batch/v1',
      kind,
      metadata: { name: 'j', labels: { 'app.kubernetes.io/component': component } },
    });
    expect(isBuildJob(job('build'))).toBe(true);
    expect(isBuildJob(job('migration'))).toBe(false);
    expect(isBuildJob(job('build', 'Deployment'))).toBe(false);
  });
});

describe('build and preview configuration', () => {
  it('defaults to a pinned Kaniko executor, a 3600 s deadline and the Let’s Encrypt ACME server', () => {
    const config = loadConfig({});
    expect(config.build.executorImage).toMatch(/^gcr\.io\/kaniko-project\/executor:v\d+\.\d+\.\d+$/);
    expect(config.build.deadlineSeconds).toBe(3600);
    expect(config.preview).toEqual({
      ingressClass: 'nginx',
      acmeServer: 'https://acme-v02.api.letsencrypt.org/directory',
      acmeEmail: '',
    });
  });

  it('reads the environment and rejects a bad deadline', () => {
    const config = loadConfig({
      REINHARDT_CLOUD_KANIKO_IMAGE: ' mirror.example.test/kaniko:v1 ',
      REINHARDT_CLOUD_BUILD_DEADLINE_SECONDS: '120',
      REINHARDT_CLOUD_PREVIEW_ACME_EMAIL: 'ops@example.test',
    });
    expect(config.build).toEqual({ executorImage: 'mirror.example.test/kaniko:v1', deadlineSeconds: 120 });
    expect(config.preview.acmeEmail).toBe('ops@example.test');
    expect(() => loadConfig({ REINHARDT_CLOUD_BUILD_DEADLINE_SECONDS: 'soon' })).toThrow(
      "REINHARDT_CLOUD_BUILD_DEADLINE_SECONDS='soon' must be a positive number",
    );
  });
});
