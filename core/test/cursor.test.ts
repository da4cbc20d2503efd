import { describe, expect, it } from 'vitest';
import { analyzeToml } from '../src/toml/analyze';
import { describeTomlPath } from '../src/toml/describe';
import { tomlPathAt } from '../src/toml/locate';

const text = `name_at_root = 1
[app]
name = "orders"

[services.tls]
enabled = true

[[infrastructure.buckets]]
name = "a"
[[infrastructure.buckets]]
name = "b"
`;
const { locations } = analyzeToml(text);
const at = (line: number, character: number) => tomlPathAt(locations, { line, character });

describe('tomlPathAt', () => {
  it('finds keys, values and headers under the cursor', () => {
    expect(at(2, 1)).toEqual({ path: ['app', 'name'], target: 'key' });
    expect(at(2, 10)).toEqual({ path: ['app', 'name'], target: 'value' });
    expect(at(1, 2)).toEqual({ path: ['app'], target: 'header' });
    expect(at(4, 11)).toEqual({ path: ['services', 'tls'], target: 'header' });
    expect(at(10, 1)).toEqual({ path: ['infrastructure', 'buckets', 1, 'name'], target: 'key' });
  });

  it('elsewhere: the table of the section the cursor is in', () => {
    expect(at(3, 0)).toEqual({ path: ['app'], target: 'table' });
    expect(at(6, 0)).toEqual({ path: ['services', 'tls'], target: 'table' });
    expect(at(11, 0)).toEqual({ path: ['infrastructure', 'buckets', 1], target: 'table' });
    expect(tomlPathAt(analyzeToml('\n\n').locations, { line: 1, character: 0 })).toEqual({
      path: [],
      target: 'table',
    });
  });

  it('pairs with describeTomlPath for hover', () => {
    expect(describeTomlPath(at(5, 2).path)?.crdPath).toBe('spec.services.tls.enabled');
    expect(describeTomlPath(at(8, 1).path)?.crdPath).toBe('spec.infrastructure.buckets[].name');
  });

  it('still works while the file has a syntax error elsewhere', () => {
    const broken = analyzeToml('[app]\nname = "x\n[services]\nport = 80\n');
    expect(tomlPathAt(broken.locations, { line: 3, character: 1 })).toEqual({
      path: ['services', 'port'],
      target: 'key',
    });
  });
});
