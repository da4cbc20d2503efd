import { describe, expect, it } from 'vitest';
import { introspectOutputSchema } from '../../src';
import { type DetectOptions, detectProject, introspectDocument } from '../../src/detect';
import { diskFiles, fixtureDir, readFixture } from './fixture-files';

function doc(name: string, opts: DetectOptions = {}) {
  const json = readFixture(name, 'introspect.json');
  const detection = detectProject(diskFiles(fixtureDir(name)), {
    ...opts,
    ...(json && !opts.introspect ? { introspect: { stdout: json, format: 'json' as const } } : {}),
  });
  const document = introspectDocument(detection);
  // Always acceptable as spec.introspect.
  expect(introspectOutputSchema.safeParse(document).success).toBe(true);
  return document;
}

describe('introspectDocument (spec.introspect)', () => {
  it('drops the framework\'s "none" signals', () => {
    const d = doc('minimal-api');
    expect(d?.features.infrastructure_signals.database).toBeUndefined();
    expect(d?.features.infrastructure_signals.cache).toBeUndefined();
    expect(d?.routes.map((r) => r.path)).toContain('/api/healthz/');
    expect(d?.routes[0]).not.toHaveProperty('namespace');
  });

  it('uses the settings engine over the token signal and sets the pages flag', () => {
    const s = doc('pages-wasm-ssr')?.features.infrastructure_signals;
    expect(s).toMatchObject({ database: 'postgresql', pages: true, admin_panel: true });
  });

  it('replaces "unknown" engines and the ≤ 0.3.6 debug/security artefacts with the settings', () => {
    const d = doc('legacy-v0.3.6');
    expect(d?.databases[0]).toMatchObject({ alias: 'default', engine: 'postgresql' });
    expect(d?.databases[0]?.tables).toHaveLength(3);
    expect(d?.settings).toEqual({
      server: { default_port: 8000, debug: false },
      security: {
        ssl_redirect: true,
        session_cookie_secure: true,
        csrf_cookie_secure: true,
        hsts_enabled: true,
      },
    });
  });

  it('spells the session backend like the framework and keeps Redis for sessions', () => {
    const s = doc('blog-postgres-redis-auth')?.features.infrastructure_signals;
    expect(s).toMatchObject({ database: 'postgresql', cache: 'redis', session_backend: 'redis' });
  });

  it('synthesizes a document from static analysis when introspect is unavailable', () => {
    const d = doc('fresh-restful-no-introspect', { introspect: { error: 'unrecognized subcommand' } });
    expect(d?.app).toEqual({ name: 'taskboard', version: '0.1.0' });
    expect(d?.databases).toEqual([{ alias: 'default', engine: 'postgresql', tables: [] }]);
    expect(d?.features.declared).toEqual(['standard', 'conf', 'commands', 'db-postgres', 'api']);
    expect(d?.features.resolved).toContain('db-postgres');
    // An existing external database is not something the operator should provision.
    expect(d?.features.infrastructure_signals.database).toBeUndefined();
    expect(d?.settings.security.hsts_enabled).toBe(true);
  });

  it('keeps CockroachDB out of the database signal and reports storage only for buckets', () => {
    expect(doc('realtime-chat')?.features.infrastructure_signals).toMatchObject({
      websocket: true,
      grpc: true,
      graphql: true,
      i18n: true,
    });
    expect(doc('realtime-chat')?.features.infrastructure_signals.database).toBeUndefined();
    expect(doc('shop-mysql-worker-s3')?.features.infrastructure_signals).toMatchObject({
      database: 'mysql',
      storage: 's3',
      mail: 'smtp',
      background_worker: true,
    });
  });

  it('returns undefined for a failed detection', () => {
    expect(introspectDocument(detectProject(diskFiles(fixtureDir('broken-cargo-toml'))))).toBeUndefined();
  });
});
