// Even Better TOML users get validation from reinhardt-cloud.schema.json through taplo: check the
// generated schema with the real taplo CLI on a valid and a broken file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const taplo = join(here, '..', 'node_modules', '.bin', 'taplo');
const schemaUrl = pathToFileURL(join(here, 'reinhardt-cloud.schema.json')).href;
const dir = mkdtempSync(join(tmpdir(), 'taplo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(text: string) {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(file, text);
  const r = spawnSync(taplo, ['check', '--schema', schemaUrl, file], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('taplo validates reinhardt-cloud.toml with the generated schema', () => {
  it('accepts a complete file', () => {
    const r = check(`[app]
name = "orders"
image = "orders:1"
[database]
engine = "postgresql"
storage_gb = 20
[services]
port = 80
ingress_host = "o.example.com"
[services.tls]
enabled = true
secret_name = "o-tls"
[scale]
min_replicas = 2
max_replicas = 6
metric = "cpu"
[source]
repository = "https://github.com/acme/orders"
[source.webhook]
enabled = true
events = ["push"]
[[infrastructure.buckets]]
name = "orders-assets"
[env]
RUST_LOG = "info"
`);
    expect(r.code, r.out).toBe(0);
  });

  it('reports a missing key, a bad enum value and an out-of-range number', () => {
    const r = check('[app]\nname = "x"\n[scale]\nmetric = "cpux"\nmin_replicas = 0\n');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('"image" is a required property');
    expect(r.out).toContain('"cpux" is not one of');
    expect(r.out).toContain('0 is less than the minimum of 1');
  });
});
