import { describe, expect, it } from 'vitest';
import { describeTomlPath } from '../src/toml/describe';

describe('describeTomlPath', () => {
  it('lists the top-level tables with docs', () => {
    const root = describeTomlPath([])!;
    expect(root.type).toBe('table');
    expect(root.children.map((c) => c.key)).toEqual([
      'app',
      'database',
      'auth',
      'health',
      'services',
      'replicas',
      'scale',
      'cache',
      'worker',
      'storage',
      'mail',
      'source',
      'infrastructure',
      'env',
    ]);
    expect(root.children.find((c) => c.key === 'app')?.required).toBe(true);
    for (const child of root.children) expect(child.description, child.key).not.toBe('');
  });

  it('describes a key: type, default, enum, CRD mapping', () => {
    expect(describeTomlPath(['scale', 'metric'])).toMatchObject({
      type: 'string',
      enum: ['cpu', 'memory', 'rps'],
      aliases: ['Cpu', 'Memory', 'Rps'],
      default: 'cpu',
      crdPath: 'spec.scale.metric',
      required: false,
    });
    expect(describeTomlPath(['worker', 'concurrency'])).toMatchObject({ type: 'integer', default: 4 });
    expect(describeTomlPath(['app', 'name'])).toMatchObject({
      type: 'string',
      required: true,
      crdPath: 'metadata.name',
    });
    expect(describeTomlPath(['source', 'build', 'base_image'])).toMatchObject({ crdPath: null });
    expect(describeTomlPath(['source', 'webhook', 'events'])).toMatchObject({
      type: 'array',
      itemType: 'string',
      enum: ['push', 'pull_request', 'tag'],
    });
    expect(describeTomlPath(['env'])).toMatchObject({ type: 'map', crdPath: 'spec.env' });
  });

  it('walks into arrays of tables by index, [] or skipping', () => {
    const buckets = describeTomlPath(['infrastructure', 'buckets'])!;
    expect(buckets).toMatchObject({ type: 'array', itemType: 'table' });
    expect(buckets.children.map((c) => c.key)).toEqual(['name', 'public']);
    for (const path of [
      ['infrastructure', 'buckets', 0, 'name'],
      ['infrastructure', 'buckets', '[]', 'name'],
      ['infrastructure', 'buckets', 'name'],
    ]) {
      expect(describeTomlPath(path)?.crdPath).toBe('spec.infrastructure.buckets[].name');
    }
  });

  it('every key of the schema has a description and (except tables) a CRD mapping', () => {
    const walk = (path: string[]): void => {
      const d = describeTomlPath(path)!;
      expect(d.description, path.join('.')).not.toBe('');
      if (path.length > 0) expect(d.crdPath, path.join('.')).not.toBeUndefined();
      for (const c of d.children) walk([...path, c.key]);
    };
    walk([]);
  });

  it('unknown keys are undefined', () => {
    expect(describeTomlPath(['servics'])).toBeUndefined();
    expect(describeTomlPath(['app', 'name', 'x'])).toBeUndefined();
    expect(describeTomlPath(['app', 0])).toBeUndefined();
  });
});
