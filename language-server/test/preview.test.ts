// The custom requests `reinhardt/previewProject` and `reinhardt/previewObjects` over stdio, typed by the
// shared protocol file the extension uses.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type PreviewObjectsParams,
  type PreviewObjectsResult,
  type PreviewProjectParams,
  type PreviewProjectResult,
  previewObjectsRequest,
  previewProjectRequest,
} from '../src/protocol';
import { LspClient } from './lsp-client';

const TOML = `[app]
name = "shop"
image = "ghcr.io/acme/shop:1.0"

[database]
engine = "postgres"

[services]
port = 80
target_port = 8000
ingress_host = "shop.example.com"

[replicas]
count = 2
`;

let client: LspClient;
const uri = 'file:///work/preview/reinhardt-cloud.toml';

beforeAll(async () => {
  client = new LspClient();
  await client.initialize();
});
afterAll(async () => {
  await client.shutdown();
});

const previewProject = (params: PreviewProjectParams) =>
  client.connection.sendRequest(previewProjectRequest, params) as Promise<PreviewProjectResult>;
const previewObjects = (params: PreviewObjectsParams) =>
  client.connection.sendRequest(previewObjectsRequest, params) as Promise<PreviewObjectsResult>;

describe('reinhardt/previewProject', () => {
  test('the manifest the CLI would deploy, from the unsaved text', async () => {
    await client.open(uri, TOML);
    const result = await previewProject({ textDocument: { uri } });
    expect(result.diagnostics).toEqual([]);
    expect(result.version).toBe(1);
    const project = result.project as {
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      spec: Record<string, unknown>;
    };
    expect(project.apiVersion).toBe('paas.reinhardt-cloud.dev/v1alpha2');
    expect(project.kind).toBe('Project');
    expect(project.metadata.name).toBe('shop');
    expect(project.spec.image).toBe('ghcr.io/acme/shop:1.0');
    expect(project.spec.replicas).toBe(2);
    expect((project.spec.database as { engine: string }).engine).toBe('postgresql');
    expect(result.yaml).toContain('kind: Project\n');
    expect(result.yaml).toContain('name: shop\n');
  });

  test('CLI overrides win over the file', async () => {
    const result = await previewProject({
      textDocument: { uri },
      overrides: { image: 'shop:dev', replicas: 5, namespace: 'staging' },
    });
    const project = result.project as {
      metadata: { namespace: string };
      spec: { image: string; replicas: number };
    };
    expect(project.spec.image).toBe('shop:dev');
    expect(project.spec.replicas).toBe(5);
    expect(project.metadata.namespace).toBe('staging');
  });

  test('errors prevent the manifest and are returned instead', async () => {
    const line = TOML.split('\n').indexOf('count = 2');
    await client.change(uri, { start: { line, character: 8 }, end: { line, character: 9 } }, '-1');
    const result = await previewProject({ textDocument: { uri } });
    expect(result.project).toBeNull();
    expect(result.yaml).toBeNull();
    expect(result.version).toBe(2);
    expect(result.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([
      ['replicas-negative', line],
    ]);
  });

  test('an unknown document is an error response, not a crash', async () => {
    await expect(
      previewProject({ textDocument: { uri: 'file:///nowhere/reinhardt-cloud.toml' } }),
    ).rejects.toThrow(/not an open/);
  });
});

describe('reinhardt/previewObjects', () => {
  test('the Kubernetes objects the operator will create', async () => {
    const u = 'file:///work/preview-objects/reinhardt-cloud.toml';
    await client.open(u, TOML);
    const result = await previewObjects({ textDocument: { uri: u } });
    expect(result.available).toBe(true);
    const kinds = result.objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toContain('Deployment/shop');
    expect(kinds).toContain('Service/shop');
    expect(kinds.some((k) => k.startsWith('Ingress/'))).toBe(true);
    const deployment = result.objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'shop',
    ) as unknown as {
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe('ghcr.io/acme/shop:1.0');
    expect(result.yaml?.split('---\n').length).toBe(result.objects.length);
  });

  test('for the platform asked: the cache as the cloud resource, cloud resource defaults', async () => {
    const u = 'file:///work/preview-platform/reinhardt-cloud.toml';
    await client.open(u, `${TOML}\n[cache]\nbackend = "redis"\n`);
    const names = async (platform?: PreviewObjectsParams['platform']) =>
      (await previewObjects({ textDocument: { uri: u }, ...(platform ? { platform } : {}) })).objects.map(
        (o) => `${o.kind}/${o.metadata.name}`,
      );
    expect(await names()).toContain('Deployment/shop-redis');
    const gcp = await names('gcp');
    expect(gcp).toContain('RedisInstance/shop-redis');
    expect(gcp).not.toContain('Deployment/shop-redis');
    // aws without the operator's subnet group renders no cache object, and never the in-cluster Redis.
    expect(await names('aws')).not.toContain('Deployment/shop-redis');
  });

  test('no objects while the file has errors', async () => {
    const u = 'file:///work/preview-broken/reinhardt-cloud.toml';
    await client.open(u, '[app]\nname = "shop"\n');
    const result = await previewObjects({ textDocument: { uri: u } });
    expect(result.objects).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['missing-required-key']);
  });
});
