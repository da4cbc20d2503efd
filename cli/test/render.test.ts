import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { copyExample, removeTempDirs, runCli, STACK_LINE, tempDir } from './helpers';

afterAll(removeTempDirs);

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

let bookshelf: string;

beforeAll(async () => {
  bookshelf = copyExample('bookshelf');
  expect((await runCli(['init', '--dir', bookshelf, '--no-introspect'])).code).toBe(0);
});

describe('render', () => {
  it('prints the objects the operator creates, as YAML documents', async () => {
    const result = await runCli(['render', '--dir', bookshelf]);
    expect(result.code).toBe(0);
    const objects = parseAllDocuments(result.stdout).map((document) => document.toJS() as KubeObject);
    const names = objects.map((object) => `${object.kind}/${object.metadata.name}`);
    // The web app, its database (PostgreSQL in-cluster), Redis, the worker, the migration Job.
    expect(names).toEqual(
      expect.arrayContaining(['Deployment/bookshelf', 'Service/bookshelf', 'Deployment/bookshelf-worker']),
    );
    expect(names.some((name) => name.startsWith('Job/bookshelf-migrate-'))).toBe(true);
    expect(names.some((name) => name.startsWith('Secret/bookshelf-jwt'))).toBe(true);
    for (const object of objects) {
      expect(object.apiVersion).toBeTypeOf('string');
      expect(object.metadata.namespace).toBe('default');
    }
    expect(result.stderr).toMatch(
      /^\d+ objects for default\/bookshelf, as they are once migration Job bookshelf-migrate-\S+ has succeeded$/m,
    );
  });

  it('-o json prints a List with the same objects, in the requested namespace', async () => {
    const json = await runCli(['render', '--dir', bookshelf, '-o', 'json', '--namespace', 'library']);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as { kind: string; items: KubeObject[] };
    expect(list.kind).toBe('List');
    const yaml = await runCli(['render', '--dir', bookshelf]);
    const yamlNames = parseAllDocuments(yaml.stdout).map((d) => (d.toJS() as KubeObject).metadata.name);
    expect(list.items.map((item) => item.metadata.name)).toEqual(yamlNames);
    expect(list.items.every((item) => item.metadata.namespace === 'library')).toBe(true);
  });

  it('--platform aws says what the operator needs for ElastiCache and keeps Redis out of the cluster', async () => {
    const result = await runCli(['render', '--dir', bookshelf, '--platform', 'aws']);
    expect(result.code).toBe(0);
    const names = parseAllDocuments(result.stdout).map((d) => {
      const object = d.toJS() as KubeObject;
      return `${object.kind}/${object.metadata.name}`;
    });
    expect(names).not.toContain('Deployment/bookshelf-redis');
    expect(names).toContain('Deployment/bookshelf');
    expect(result.stderr).toMatch(
      /note CacheReady=False CacheMisconfigured: .*REINHARDT_CLOUD_AWS_CACHE_SUBNET_GROUP/,
    );
  });

  it.each([['gcp', 'RedisInstance/bookshelf-redis']])(
    '--platform %s renders the cache as the cloud resource the operator creates there',
    async (platform, cache) => {
      const result = await runCli(['render', '--dir', bookshelf, '--platform', platform]);
      expect(result.code).toBe(0);
      const names = parseAllDocuments(result.stdout).map((d) => {
        const object = d.toJS() as KubeObject;
        return `${object.kind}/${object.metadata.name}`;
      });
      expect(names).toContain(cache);
      expect(names).not.toContain('Deployment/bookshelf-redis');
      const onpremise = await runCli(['render', '--dir', bookshelf]);
      expect(onpremise.stdout).toContain('name: bookshelf-redis');
      expect(onpremise.stdout).not.toContain(cache.split('/')[0]);
    },
  );

  it('--platform rejects an unknown platform with the choices', async () => {
    const result = await runCli(['render', '--dir', bookshelf, '--platform', 'azure']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected one of onpremise, aws, gcp');
  });

  it('an invalid file lists its problems and renders nothing', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'reinhardt-cloud.toml'),
      '[app]\nname = "x"\nimage = "x:1"\n[scale]\nmin_replicas = 0\n',
    );
    const result = await runCli(['render', '--dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/reinhardt-cloud\.toml:\d+:\d+: error /);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
