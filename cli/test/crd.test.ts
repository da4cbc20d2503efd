import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from './helpers';

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; singular: string };
    versions: { name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: unknown } }[];
  };
}

function checkCrd(crd: Crd): void {
  expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
  expect(crd.kind).toBe('CustomResourceDefinition');
  expect(crd.metadata.name).toBe('projects.paas.reinhardt-cloud.dev');
  expect(crd.spec.group).toBe('paas.reinhardt-cloud.dev');
  expect(crd.spec.scope).toBe('Namespaced');
  expect(crd.spec.names).toMatchObject({ kind: 'Project', plural: 'projects', singular: 'project' });
  expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1alpha2', true, true]]);
  expect(crd.spec.versions[0]?.schema.openAPIV3Schema).toBeTypeOf('object');
}

describe('crd', () => {
  it('prints the CRD as YAML', async () => {
    const result = await runCli(['crd']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    checkCrd(parseYaml(result.stdout) as Crd);
  });

  it('-o json prints the same document as JSON', async () => {
    const json = await runCli(['crd', '-o', 'json']);
    expect(json.code).toBe(0);
    const fromJson = JSON.parse(json.stdout) as Crd;
    checkCrd(fromJson);
    expect(fromJson).toEqual(parseYaml((await runCli(['crd'])).stdout));
  });

  it('accepts the original `crd generate` form', async () => {
    const result = await runCli(['crd', 'generate']);
    expect(result.code).toBe(0);
    checkCrd(parseYaml(result.stdout) as Crd);
  });
});
