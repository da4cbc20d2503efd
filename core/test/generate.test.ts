import { describe, expect, it } from 'vitest';
import { crdManifest, PRINTER_COLUMNS, tomlJsonSchema } from '../src/crd/generate';
import { CLUSTER_ISSUER_MESSAGE } from '../src/rules';

type Node = Record<string, unknown>;

/** Every schema node with its dotted path. */
function* nodes(schema: unknown, path = ''): Generator<[string, Node]> {
  if (!schema || typeof schema !== 'object') return;
  const n = schema as Node;
  yield [path, n];
  for (const [k, v] of Object.entries((n.properties as Node) ?? {}))
    yield* nodes(v, path ? `${path}.${k}` : k);
  if (n.items) yield* nodes(n.items, `${path}[]`);
  if (n.additionalProperties && typeof n.additionalProperties === 'object')
    yield* nodes(n.additionalProperties, `${path}.*`);
}

const at = (schema: unknown, path: string) => [...nodes(schema)].find(([p]) => p === path)?.[1];

describe('tomlJsonSchema', () => {
  const schema = tomlJsonSchema();

  it('is draft-07 with the required [app] and descriptions everywhere', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['app']);
    expect(at(schema, 'app')?.required).toEqual(['name', 'image']);
    for (const [path, n] of nodes(schema)) {
      if (path === '' || path.endsWith('.*') || path.endsWith('[]')) continue;
      expect(n.description, path).toEqual(expect.any(String));
    }
  });

  it('carries enums, defaults, CRD mapping and taplo hints', () => {
    expect(at(schema, 'scale.metric')?.enum).toEqual(['cpu', 'memory', 'rps', 'Cpu', 'Memory', 'Rps']);
    expect(at(schema, 'worker.concurrency')?.default).toBe(4);
    expect(at(schema, 'worker.concurrency')?.minimum).toBe(1);
    expect(at(schema, 'services.port')).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(at(schema, 'services.tls.secret_name')?.description).toContain(
      'Maps to `spec.services.tls.secret_name`',
    );
    expect(at(schema, 'scale.metric')?.['x-taplo']).toMatchObject({
      docs: {
        defaultValue: '"cpu"',
        enumValues: expect.arrayContaining(['CPU utilization in percent → Cpu']),
      },
    });
    expect(at(schema, '')?.['x-taplo']).toMatchObject({ initKeys: ['app'] });
  });

  it('has no zod-internal keys left', () => {
    const text = JSON.stringify(schema);
    for (const key of [
      'crdPath',
      'runtimeDefault',
      'enumDescriptions',
      'propertyNames',
      '9007199254740991',
    ]) {
      expect(text).not.toContain(key);
    }
  });
});

describe('crdManifest', () => {
  const crd = crdManifest() as Node & { spec: Node & { versions: Node[] } };
  const version = crd.spec.versions[0]!;
  const root = (version.schema as Node).openAPIV3Schema as Node;

  it('identity, scope, subresources and printer columns (crd.md §1)', () => {
    expect(crd).toMatchObject({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'projects.paas.reinhardt-cloud.dev' },
      spec: {
        group: 'paas.reinhardt-cloud.dev',
        scope: 'Namespaced',
        names: { kind: 'Project', plural: 'projects', singular: 'project' },
      },
    });
    expect(version).toMatchObject({
      name: 'v1alpha2',
      served: true,
      storage: true,
      subresources: { status: {} },
    });
    expect(version.additionalPrinterColumns).toEqual(PRINTER_COLUMNS);
    expect(root.required).toEqual(['spec']);
  });

  it('is structural: typed nodes, no $ref/anyOf, no additionalProperties:false, maps as string maps', () => {
    const text = JSON.stringify(root);
    for (const bad of [
      '$ref',
      'anyOf',
      'oneOf',
      '"additionalProperties":false',
      'propertyNames',
      '$schema',
    ]) {
      expect(text).not.toContain(bad);
    }
    for (const [path, n] of nodes(root)) {
      if (path === 'metadata') continue;
      expect(n.type, path).toEqual(expect.any(String));
    }
    expect(at(root, 'spec.env')).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(at(root, 'spec.source.build.build_args')).toMatchObject({
      additionalProperties: { type: 'string' },
    });
  });

  it('preserves unknown fields only for introspect', () => {
    const preserved = [...nodes(root)]
      .filter(([, n]) => n['x-kubernetes-preserve-unknown-fields'])
      .map(([p]) => p);
    expect(preserved.length).toBeGreaterThan(0);
    for (const p of preserved) expect(p.startsWith('spec.introspect') || p === 'metadata', p).toBe(true);
  });

  it('exact spellings, enums, defaults and ranges', () => {
    const spec = at(root, 'spec')!;
    expect(Object.keys(spec.properties as Node)).toEqual(
      expect.arrayContaining([
        'imagePullSecrets',
        'serviceAccount',
        'deletion_policy',
        'infrastructure',
        'tenant',
      ]),
    );
    expect(spec.required).toEqual(['image']);
    expect(at(root, 'spec.deletion_policy')).toMatchObject({ enum: ['retain', 'delete'], default: 'retain' });
    expect(at(root, 'spec.scale.metric')?.enum).toEqual(['Cpu', 'Memory', 'Rps']);
    expect(at(root, 'spec.isolation.level')).toMatchObject({
      enum: ['None', 'Sandbox', 'MicroVM'],
      default: 'None',
    });
    expect(at(root, 'spec.database.storage_gb')).toMatchObject({ minimum: 1, maximum: 100, format: 'int32' });
    expect(at(root, 'spec.database.instance_class')?.enum).toHaveLength(9);
    expect(at(root, 'spec.isolation.network.dns_allow_cidrs')).toMatchObject({
      type: 'array',
      items: { type: 'string' },
    });
    expect(Object.keys(at(root, 'status')!.properties as Node)).toEqual(
      expect.arrayContaining([
        'phase',
        'conditions',
        'observedGeneration',
        'readyReplicas',
        'build',
        'previews',
      ]),
    );
    expect(Object.keys(at(root, 'status.database')!.properties as Node)).toContain('credentials_secret');
    expect(Object.keys(at(root, 'status.worker')!.properties as Node)).toEqual(['ready_replicas']);
  });

  it('CEL rules for what the API server can enforce', () => {
    const rules = (p: string) =>
      (at(root, p)?.['x-kubernetes-validations'] as Array<{ rule: string; message: string }>) ?? [];
    expect(rules('spec.services.tls').map((r) => r.message)).toContain(CLUSTER_ISSUER_MESSAGE);
    expect(rules('spec.services').map((r) => r.message)).toEqual([
      'services.tls.enabled requires services.ingress_host',
    ]);
    expect(rules('spec.scale').map((r) => r.message)).toEqual([
      'scale.max_replicas must be >= scale.min_replicas',
    ]);
    expect(rules('spec.source.webhook')).toHaveLength(1);
  });
});
