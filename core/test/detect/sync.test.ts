import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { analyzeToml } from '../../src';
import { detectProject, generateToml, syncToml } from '../../src/detect';
import { diskFiles, fixtureDir, readFixture } from './fixture-files';

function detect(name: string) {
  const json = readFixture(name, 'introspect.json');
  return detectProject(
    diskFiles(fixtureDir(name)),
    json ? { introspect: { stdout: json, format: 'json' } } : {},
  );
}

/** Every line of `before` appears in `after`, in the same order (insertions only). */
function expectOnlyInsertions(before: string, after: string) {
  const out = after.split('\n');
  let i = 0;
  for (const line of before.split('\n')) {
    while (i < out.length && out[i] !== line) i++;
    expect(i, `line kept in order: ${JSON.stringify(line)}`).toBeLessThan(out.length);
    i++;
  }
}

const blog = detect('blog-postgres-redis-auth');

const HAND_EDITED = `# Our deployment file. Reviewed by ops, do not reformat.

[services]   # public entry point
ingress_host = "blog.inkwell.example"
port = 80

[services.tls]
enabled = true
secret_name = "inkwell-tls"

[app]
name = "inkwell"
image = "ghcr.io/inkwell/inkwell:1.3.0" # pinned by CI

[replicas]
count = 3

[health]
path = "/ready" # our own probe

[source]
repository = "https://github.com/inkwell/inkwell.git"
branch = "main"

[env]
FEATURE_FLAGS = "beta"
`;

describe('syncToml', () => {
  const result = syncToml(HAND_EDITED, blog);
  const merged = parse(result.text) as Record<string, Record<string, unknown>>;

  it('keeps every comment, key order and hand-set value', () => {
    expect(result.changed).toBe(true);
    expectOnlyInsertions(HAND_EDITED, result.text);
    expect(result.text.startsWith('# Our deployment file. Reviewed by ops, do not reformat.\n\n')).toBe(true);
    expect(result.text).toContain(
      '\n[services]   # public entry point\ningress_host = "blog.inkwell.example"\n',
    );
    expect(merged.app?.image).toBe('ghcr.io/inkwell/inkwell:1.3.0');
    expect(merged.health?.path).toBe('/ready');
    expect(merged.services).toMatchObject({
      ingress_host: 'blog.inkwell.example',
      tls: { enabled: true, secret_name: 'inkwell-tls' },
    });
    expect(merged.replicas).toEqual({ count: 3 });
    expect(merged.source?.repository).toBe('https://github.com/inkwell/inkwell.git');
    expect(merged.env).toEqual({ FEATURE_FLAGS: 'beta' });
    expect(analyzeToml(result.text).diagnostics).toEqual([]);
  });

  it('adds the detected tables and keys that are missing', () => {
    expect(merged.database).toEqual({ engine: 'postgresql' });
    expect(merged.auth).toEqual({ jwt: true });
    expect(merged.cache).toEqual({ backend: 'redis' });
    expect(merged.infrastructure).toEqual({ postgres: { version: '16', backup_retention_days: 7 } });
    // In a reordered file new tables land next to their spec-order neighbours.
    expect(result.text.indexOf('[database]')).toBeGreaterThan(result.text.indexOf('image = "ghcr.io'));
    expect(result.text.indexOf('[database]')).toBeLessThan(result.text.indexOf('[replicas]'));
    expect(result.text.indexOf('[cache]')).toBeGreaterThan(result.text.indexOf('count = 3'));
    expect(result.text.indexOf('[cache]')).toBeLessThan(result.text.indexOf('[source]'));
    // New tables carry the same "why" comment init writes.
    expect(result.text).toMatch(/# jwt: feature `auth-jwt` needs a JWT signing secret\n\[auth\]\njwt = true/);
  });

  it('leaves the init-time defaults ([health], [services], [scale]) to the user', () => {
    // The user has no [scale] (fixed replicas) and trimmed [health] and [services]: nothing detected backs
    // those defaults, so sync adds neither the tables nor keys inside them.
    expect(merged.scale).toBeUndefined();
    expect(merged.health).toEqual({ path: '/ready' });
    expect(merged.services?.target_port).toBeUndefined();
    expect(result.text).toContain('path = "/ready" # our own probe\n');
  });

  it('adds a missing key at the end of its table, keeping a trailing comment on its line', () => {
    const existing =
      '[app]\nname = "inkwell"\nimage = "i"\n\n[auth] # tokens\n\n[database]\ninstance_class = "db.t3.micro" # sized by ops\n';
    const out = syncToml(existing, blog).text;
    expect(out).toContain('[auth] # tokens\njwt = true\n');
    expect(out).toContain('instance_class = "db.t3.micro" # sized by ops\nengine = "postgresql"\n');
  });

  it('reports values it kept although detection suggests another one', () => {
    const kept = result.diagnostics.filter((d) => d.code === 'sync-kept-value').map((d) => d.path);
    expect(kept).toEqual(['app.image']);
    const image = result.diagnostics.find((d) => d.path === 'app.image');
    expect(image?.range.start.line).toBe(12);
  });

  it('is idempotent', () => {
    const second = syncToml(result.text, blog);
    expect(second.changed).toBe(false);
    expect(second.text).toBe(result.text);
  });

  it('places a new table before the next table in spec order, with that table’s leading comment intact', () => {
    const existing =
      '[app]\nname = "inkwell"\nimage = "i"\n\n# probe settings\n[health]\npath = "/h"\nport = 1\ninterval_seconds = 5\n';
    const out = syncToml(existing, blog).text;
    expect(out.indexOf('[database]')).toBeLessThan(out.indexOf('# probe settings'));
    expect(out).toContain('# probe settings\n[health]\npath = "/h"\nport = 1\ninterval_seconds = 5\n');
    expect(out.indexOf('[auth]')).toBeLessThan(out.indexOf('[health]'));
    expect(out.indexOf('[cache]')).toBeGreaterThan(out.indexOf('[scale]'));
  });

  it('keeps [infrastructure] sub-sections the user wrote and adds only the missing ones', () => {
    const shop = detect('shop-mysql-worker-s3');
    const existing = `[app]
name = "tradepost"
image = "tradepost:1"

[infrastructure.postgres]
version = "15"

[[infrastructure.dns]]
host = "shop.tradepost.example"
type = "CNAME"

[env]
X = "1"
`;
    const out = syncToml(existing, shop);
    const t = parse(out.text) as Record<string, Record<string, unknown>>;
    expect(t.infrastructure).toEqual({
      postgres: { version: '15' },
      dns: [{ host: 'shop.tradepost.example', type: 'CNAME' }],
      buckets: [{ name: 'tradepost-media', public: false }],
    });
    // MySQL does not make sync fail; the worker gets a valid concurrency.
    expect(t.database).toEqual({ engine: 'mysql' });
    expect(t.worker).toEqual({ concurrency: 8 });
    expect(out.text.indexOf('[[infrastructure.buckets]]')).toBeLessThan(out.text.indexOf('[env]'));
  });

  it('never removes tables detection no longer produces', () => {
    const minimal = detect('minimal-api');
    const existing = `${generateToml(minimal)}\n[database]\nengine = "postgresql"\n\n[worker]\nconcurrency = 2\n`;
    const out = syncToml(existing, minimal);
    expect(out.changed).toBe(false);
    expect(out.text).toBe(existing);
  });

  it('offers a fix for the original tool’s `concurrency = 0` without changing it', () => {
    const shop = detect('shop-mysql-worker-s3');
    const existing = `[app]\nname = "tradepost"\nimage = "t"\n\n[worker]\nconcurrency = 0\n`;
    expect(analyzeToml(existing).diagnostics.some((d) => d.severity === 'error')).toBe(true);
    const out = syncToml(existing, shop);
    expect((parse(out.text) as { worker: { concurrency: number } }).worker.concurrency).toBe(0);
    const d = out.diagnostics.find((x) => x.code === 'worker-concurrency-zero');
    expect(d?.severity).toBe('warning');
    expect(d?.range.start).toEqual({ line: 5, character: 14 });
    expect(d?.fixes?.[0]?.edits[0]?.newText).toBe('4');
  });

  it('reports a syntax error in the existing file with its location and changes nothing', () => {
    const broken = '[app]\nname = "inkwell"\nimage = \n';
    const out = syncToml(broken, blog);
    expect(out.changed).toBe(false);
    expect(out.text).toBe(broken);
    expect(out.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'toml-parse-error',
      file: 'reinhardt-cloud.toml',
    });
    expect(out.diagnostics[0]?.range.start.line).toBe(2);
  });

  it('fills an empty file with every detected table', () => {
    const out = syncToml('', blog);
    expect(out.changed).toBe(true);
    const { health: _h, services: _s, scale: _c, ...detected } = parse(generateToml(blog));
    expect(parse(out.text)).toEqual(detected);
    expect(syncToml(out.text, blog).changed).toBe(false);
  });

  it('keeps CRLF line endings', () => {
    const crlf = '[app]\r\nname = "inkwell"\r\nimage = "x"\r\n';
    const out = syncToml(crlf, blog);
    expect(out.text.startsWith(crlf)).toBe(true);
    expect(out.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect((parse(out.text) as { cache: unknown }).cache).toEqual({ backend: 'redis' });
  });

  it('does not try to extend inline tables; says so instead', () => {
    const existing = '[app]\nname = "inkwell"\nimage = "x"\nhealth = 1\n\nservices = 2\n';
    expect(() => syncToml(existing, blog)).not.toThrow();
    const inline = 'app = { name = "inkwell", image = "x" }\ndatabase = { version = "16" }\n';
    const out = syncToml(inline, blog);
    expect(parse(out.text)).toMatchObject({ database: { version: '16' }, cache: { backend: 'redis' } });
    expect(out.diagnostics.some((d) => d.code === 'sync-cannot-add' && d.path === 'database.engine')).toBe(
      true,
    );
  });
});
