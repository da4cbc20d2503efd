// `reinhardt/previewProject` and `reinhardt/previewObjects`: what `deploy` would submit and what the
// operator would then create, computed by core from the editor's current text (unsaved edits included).

import { type Diagnostic, hasErrors, objectKey, render, ZERO_RANGE } from '@reinhardt-cloud/core';
import { stringify } from 'yaml';
import { compileDocument } from './core-bridge';
import type { DocumentState } from './documents';
import type {
  PreviewObject,
  PreviewObjectsParams,
  PreviewObjectsResult,
  PreviewOverrides,
  PreviewProjectResult,
} from './protocol';

function compile(state: DocumentState, overrides: PreviewOverrides | undefined) {
  const flags: PreviewOverrides = Object.fromEntries(
    Object.entries(overrides ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
  return Object.keys(flags).length === 0 ? state.compiled() : compileDocument(state.text, flags);
}

export function previewProject(state: DocumentState, overrides?: PreviewOverrides): PreviewProjectResult {
  const { diagnostics, project } = compile(state, overrides);
  const ok = project !== null && !hasErrors(diagnostics);
  return {
    uri: state.uri,
    version: state.version,
    project: ok ? project : null,
    yaml: ok ? stringify(project) : null,
    diagnostics,
  };
}

const PLATFORMS = new Set(['onpremise', 'aws', 'gcp']);

export function previewObjects(
  state: DocumentState,
  overrides?: PreviewOverrides,
  platform?: PreviewObjectsParams['platform'],
): PreviewObjectsResult {
  // An unknown platform from a hand-written client renders as on-premise, like the operator's own default.
  const config = { platform: platform && PLATFORMS.has(platform) ? platform : 'onpremise' } as const;
  const { diagnostics, project } = compile(state, overrides);
  const base = { uri: state.uri, version: state.version, available: true };
  if (project === null || hasErrors(diagnostics)) return { ...base, objects: [], yaml: null, diagnostics };
  const renderProject = project as unknown as Parameters<typeof render>[0];
  const result = render(renderProject, {}, config);
  // On a first deploy the web and worker Deployments wait for the migration Job. The preview shows the
  // whole set the operator will have created once it succeeded: render again with that Job complete.
  let desired = result.objects;
  const jobName = result.migration.jobName;
  const job = jobName
    ? result.objects.find((o) => o.object.kind === 'Job' && o.object.metadata.name === jobName)
    : undefined;
  if (job && result.issues.length === 0) {
    const done = { ...job.object, status: { succeeded: 1 } };
    const after = render(renderProject, { objects: { [objectKey(job.object)]: done } }, config);
    const seen = new Set(after.objects.map((o) => objectKey(o.object)));
    desired = [...after.objects, ...result.objects.filter((o) => !seen.has(objectKey(o.object)))];
  }
  // Rules only the operator checks (render issues) come back as diagnostics on the whole file.
  const renderDiagnostics: Diagnostic[] = result.issues.map((issue) => ({
    severity: 'error',
    code: 'operator-render',
    message: issue.message,
    path: issue.path.replace(/^spec\./, ''),
    range: ZERO_RANGE,
  }));
  const objects = desired.map((d) => d.object as PreviewObject);
  return {
    ...base,
    objects,
    yaml: objects.length ? objects.map((o) => stringify(o)).join('---\n') : null,
    diagnostics: [...diagnostics, ...renderDiagnostics],
  };
}
