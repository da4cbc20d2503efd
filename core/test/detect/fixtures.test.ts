// Each fixture's expected.md, as assertions. The fixtures are read from disk here (tests only); core gets
// a ProjectFiles adapter and never touches the file system itself.
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { analyzeToml, formatDiagnostic } from '../../src';
import { type Detection, type DetectOptions, detectProject, generateToml, syncToml } from '../../src/detect';
import { diskFiles, fixtureDir, readFixture } from './fixture-files';

type Toml = Record<string, Record<string, unknown>>;

function run(name: string, opts: DetectOptions & { noIntrospect?: boolean; dir?: string } = {}) {
  const json = readFixture(name, 'introspect.json');
  const introspect =
    opts.introspect ?? (json && !opts.noIntrospect ? { stdout: json, format: 'json' as const } : undefined);
  const detection = detectProject(diskFiles(opts.dir ?? fixtureDir(name)), {
    ...(opts.env ? { env: opts.env } : {}),
    ...(introspect ? { introspect } : {}),
  });
  const text = generateToml(detection);
  const toml = (text ? parse(text) : {}) as Toml;
  return { detection, text, toml };
}

const codes = (d: Detection) => d.diagnostics.map((x) => x.code);

/** Properties every successfully generated file must have. */
function expectSound(detection: Detection, text: string, toml: Toml) {
  expect(detection.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  // Valid according to the reinhardt-cloud.toml schema and every spec rule (what deploy will check).
  const analysis = analyzeToml(text);
  expect(analysis.diagnostics).toEqual([]);
  expect(analysis.config).toBeDefined();
  expect(toml.app?.name).toBe(detection.packageName);
  expect(toml.app?.image).toBe(`${detection.packageName}:latest`);
  if (toml.worker) expect(toml.worker.concurrency).toBeGreaterThan(0);
  if (toml.database) expect(['postgresql', 'mysql', 'sqlite']).toContain(toml.database.engine);
  for (const value of Object.values((toml.env as Record<string, unknown>) ?? {}))
    expect(typeof value).toBe('string');
  expect(text).not.toMatch(/PASSWORD/);
  // Spec order of tables.
  const order = [
    'app',
    'database',
    'auth',
    'health',
    'services',
    'scale',
    'cache',
    'worker',
    'storage',
    'mail',
    'infrastructure',
    'env',
  ];
  const positions = Object.keys(toml).map((k) => order.indexOf(k));
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  // sync of a freshly generated file changes nothing.
  const again = syncToml(text, detection);
  expect(again.changed).toBe(false);
  expect(again.text).toBe(text);
}

describe('fixture minimal-api (stateless, no database)', () => {
  const { detection, text, toml } = run('minimal-api');
  it('identifies the app', () => {
    expect(detection.packageName).toBe('pulse-api');
    expect(detection.packageVersion).toBe('0.4.2');
    expect(detection.frameworkVersion).toBe('0.3.10');
    expectSound(detection, text, toml);
  });
  it('infers no stateful dependency, even from the "none" introspect signals', () => {
    expect(toml.database).toBeUndefined();
    expect(toml.infrastructure).toBeUndefined();
    expect(toml.cache).toBeUndefined();
    expect(toml.worker).toBeUndefined();
    expect(toml.storage).toBeUndefined();
    expect(toml.mail).toBeUndefined();
    expect(detection.signals.database).toBeUndefined();
    expect(detection.signals.cache).toBeUndefined();
    expect(detection.signals).toMatchObject({
      pages: false,
      websockets: false,
      grpc: false,
      graphql: false,
      migrations: false,
    });
  });
  it('takes the health route and the serving runserver from the project', () => {
    expect(toml.health).toEqual({ path: '/api/healthz/', port: 8000, interval_seconds: 10 });
    expect(toml.services).toEqual({ port: 80, target_port: 8000 });
    expect(detection.signals.serverCommand).toBe(true);
    expect(codes(detection)).not.toContain('health-path-assumed');
  });
  it('does not take the framework runtime SQLite default as a database without introspection either', () => {
    expect(run('minimal-api', { noIntrospect: true }).toml.database).toBeUndefined();
  });
});

describe('fixture blog-postgres-redis-auth (PostgreSQL + Redis + JWT)', () => {
  const { detection, text, toml } = run('blog-postgres-redis-auth');
  it('identifies the app and ignores dev-dependency features', () => {
    expect(detection.packageName).toBe('inkwell');
    expect(detection.packageVersion).toBe('1.3.0');
    expect(detection.declaredFeatures).toContain('session-redis');
    expect(detection.declaredFeatures).not.toContain('test');
    expect(detection.declaredFeatures).not.toContain('testcontainers');
    expectSound(detection, text, toml);
  });
  it('infers managed PostgreSQL, Redis cache + sessions and JWT', () => {
    expect(toml.database).toEqual({ engine: 'postgresql' });
    expect(toml.infrastructure).toEqual({ postgres: { version: '16', backup_retention_days: 7 } });
    expect(toml.cache).toEqual({ backend: 'redis' });
    expect(toml.auth).toEqual({ jwt: true });
    expect(detection.signals.sessions).toBe('redis');
    expect(detection.signals.migrations).toBe(true);
    expect(toml.worker).toBeUndefined();
    expect(toml.storage).toBeUndefined();
    expect(toml.mail).toBeUndefined();
  });
  it('reads the deep-merged production settings and reports the :? secrets instead of dropping the database', () => {
    const db = detection.settings?.databases.find((d) => d.alias === 'default');
    expect(db).toMatchObject({
      engine: 'postgresql',
      host: 'inkwell-postgresql',
      port: 5432,
      name: 'inkwell',
      user: 'inkwell',
    });
    expect(detection.settings?.missingEnv).toEqual([
      'REINHARDT_CORE__SECRET_KEY',
      'REINHARDT_DATABASE_PASSWORD',
    ]);
    // The operator injects REINHARDT_DATABASE_* for the managed database; copying settings values would override it.
    expect(toml.env).toBeUndefined();
  });
  it('gives the same result from the YAML introspect output', () => {
    const yaml = readFixture('blog-postgres-redis-auth', 'introspect.yaml') as string;
    const fromYaml = run('blog-postgres-redis-auth', { introspect: { stdout: yaml, format: 'yaml' } });
    expect(fromYaml.detection.introspect.status).toBe('used');
    expect(fromYaml.text).toBe(text);
  });
  it('resolves the secrets when the environment provides them', () => {
    const env = {
      REINHARDT_CORE__SECRET_KEY: 'k',
      REINHARDT_DATABASE_PASSWORD: 'p',
      REINHARDT_DATABASE_HOST: 'db.internal',
    };
    const withEnv = run('blog-postgres-redis-auth', { env });
    expect(withEnv.detection.settings?.missingEnv).toEqual([]);
    expect(withEnv.detection.settings?.databases[0]?.host).toBe('db.internal');
    expect(withEnv.toml.database).toEqual({ engine: 'postgresql' });
  });
});

describe('fixture shop-mysql-worker-s3 (MySQL, RabbitMQ worker, S3, SMTP)', () => {
  const { detection, text, toml } = run('shop-mysql-worker-s3');
  it('generates a MySQL project without failing', () => {
    expect(detection.packageName).toBe('tradepost');
    expect(detection.packageVersion).toBe('2.0.1');
    expect(toml.database).toEqual({ engine: 'mysql' });
    expect((toml.infrastructure as Record<string, unknown> | undefined)?.postgres).toBeUndefined();
    expectSound(detection, text, toml);
  });
  it('emits a worker with the settings concurrency, never 0, and knows the broker', () => {
    expect(toml.worker).toEqual({ concurrency: 8 });
    expect(detection.signals.taskBroker).toBe('rabbitmq');
    expect(codes(detection)).toContain('worker-command-unknown');
  });
  it('takes S3 + bucket from the sub-crate and the settings', () => {
    expect(toml.storage).toEqual({ backend: 's3', bucket: 'tradepost-media' });
    expect(toml.infrastructure).toEqual({ buckets: [{ name: 'tradepost-media', public: false }] });
    expect(detection.subcrateFeatures['reinhardt-storages']).toEqual(['s3']);
  });
  it('takes SMTP from the production [email] table, not the "mail" token', () => {
    expect(toml.mail).toEqual({ smtp_host: 'smtp.mailgun.org', smtp_port: 587 });
    expect(toml.cache).toBeUndefined();
    const local = run('shop-mysql-worker-s3', { env: { REINHARDT_ENV: 'local' } });
    expect(local.toml.mail).toBeUndefined();
    expect(codes(local.detection)).toContain('mail-console-backend');
  });
});

describe('fixture pages-wasm-ssr (pages, admin, SQLite local / PostgreSQL production)', () => {
  const { detection, text, toml } = run('pages-wasm-ssr');
  it('sees the native target table although the wasm32 one comes first', () => {
    expect(detection.packageName).toBe('agora-polls');
    expect(detection.declaredFeatures).toEqual(
      expect.arrayContaining(['db-postgres', 'db-sqlite', 'admin', 'static-files']),
    );
    expect(detection.declaredFeatures).not.toContain('full');
    expect(detection.wasmFeatures).toEqual(['pages', 'client-router']);
    expect(detection.frameworkVersion).toBe('0.3.10');
    expectSound(detection, text, toml);
  });
  it('detects pages and admin although introspect has no pages signal', () => {
    expect(detection.signals).toMatchObject({ pages: true, admin: true, staticFiles: true });
    expect(codes(detection)).toContain('pages-detected');
  });
  it('uses the production engine from settings, not the "sqlite" signal', () => {
    expect(toml.database).toEqual({ engine: 'postgresql' });
    expect(toml.infrastructure).toEqual({ postgres: { version: '16', backup_retention_days: 7 } });
    const local = run('pages-wasm-ssr', { env: { REINHARDT_ENV: 'local' } });
    expect(local.toml.database).toEqual({ engine: 'sqlite' });
    expect(local.toml.infrastructure).toBeUndefined();
    expect(codes(local.detection)).toContain('sqlite-in-production');
  });
  it('flags the health path as an assumption (no health route)', () => {
    expect(toml.health?.path).toBe('/api/healthz/');
    expect(codes(detection)).toContain('health-path-assumed');
  });
});

describe('fixture workspace-multi-crate (virtual workspace)', () => {
  const { detection, text, toml } = run('workspace-multi-crate');
  it('picks the member with manage + settings and inherits the workspace version', () => {
    expect(detection.crateDir).toBe('crates/api');
    expect(detection.workspaceRoot).toBe('.');
    expect(detection.packageName).toBe('harbor-api');
    expect(detection.packageVersion).toBe('1.8.0');
    expect(detection.declaredFeatures).toEqual(
      expect.arrayContaining(['db-postgres', 'auth-jwt', 'tasks', 'session-redis']),
    );
    expectSound(detection, text, toml);
  });
  it('deep-merges settings: the production profile keeps the PostgreSQL engine and both aliases', () => {
    expect(toml.database).toEqual({ engine: 'postgresql' });
    const aliases = detection.settings?.databases.map((d) => d.alias);
    expect(aliases).toEqual(['default', 'reporting']);
    expect(detection.settings?.databases[1]).toMatchObject({
      host: 'harbor-postgresql-replica',
      port: 5432,
      user: 'harbor_ro',
    });
  });
  it('finds the worker binary and Redis broker on another member', () => {
    expect(toml.worker).toEqual({ concurrency: 4, command: ['harbor-worker'] });
    expect(detection.signals.taskBroker).toBe('redis');
    expect(detection.signals.sessions).toBe('redis');
    expect(toml.cache).toEqual({ backend: 'redis' });
    expect(toml.auth).toEqual({ jwt: true });
    expect(toml.mail).toEqual({ smtp_host: 'smtp.postmarkapp.com', smtp_port: 587 });
  });
  it('resolves `workspace = true` by walking up when run inside the member', () => {
    const inMember = run('workspace-multi-crate', {
      dir: `${fixtureDir('workspace-multi-crate')}/crates/api`,
    });
    expect(inMember.detection.crateDir).toBe('.');
    expect(inMember.detection.workspaceRoot).toBe('../..');
    expect(inMember.detection.packageVersion).toBe('1.8.0');
    expect(inMember.toml.database).toEqual(toml.database);
    expect(inMember.toml.worker).toEqual(toml.worker);
  });
});

describe('fixture broken-cargo-toml (invalid manifest)', () => {
  const { detection, text } = run('broken-cargo-toml');
  it('fails with a located error and generates nothing', () => {
    expect(text).toBe('');
    expect(detection.config).toBeUndefined();
    const error = detection.diagnostics.find((d) => d.severity === 'error');
    expect(error?.code).toBe('cargo-parse-error');
    expect(error?.file).toBe('Cargo.toml');
    expect(formatDiagnostic(error?.file ?? '', error!)).toMatch(
      /^Cargo\.toml:15:146: error cargo-parse-error /,
    );
  });
  it('does not recover features from the broken file, but says the settings are readable', () => {
    expect(detection.declaredFeatures).toEqual([]);
    expect(codes(detection)).toContain('settings-readable');
  });
  it('sync leaves an existing file alone and reports the manifest error', () => {
    const result = syncToml('[app]\nname = "ledgerly"\nimage = "x"\n', detection);
    expect(result.changed).toBe(false);
    expect(result.diagnostics[0]?.code).toBe('cargo-parse-error');
  });
});

describe('fixture realtime-chat (CockroachDB, WebSockets, gRPC, GraphQL, i18n)', () => {
  const { detection, text, toml } = run('realtime-chat');
  it('identifies CockroachDB from db-cockroachdb + deep-merged settings and does not provision PostgreSQL', () => {
    expect(detection.signals.database).toBe('cockroachdb');
    expect(toml.database).toBeUndefined();
    expect(toml.infrastructure).toBeUndefined();
    expect(toml.env).toEqual({
      REINHARDT_DATABASE_HOST: 'relay-cockroachdb-public',
      REINHARDT_DATABASE_PORT: '26257',
      REINHARDT_DATABASE_NAME: 'relay',
      REINHARDT_DATABASE_USER: 'relay',
    });
    expect(codes(detection)).toContain('cockroachdb-not-provisioned');
    expectSound(detection, text, toml);
  });
  it('detects realtime features and one Redis for cache + channel layer', () => {
    expect(detection.signals).toMatchObject({
      websockets: true,
      grpc: true,
      graphql: true,
      i18n: true,
      cache: 'redis',
    });
    expect(detection.signals.sessions).not.toBe('redis');
    expect(toml.cache).toEqual({ backend: 'redis' });
  });
});

describe('fixture legacy-v0.3.6 (introspect ignores [core] settings)', () => {
  const { detection, text, toml } = run('legacy-v0.3.6');
  it('reads the framework version from Cargo.lock and warns about the introspect quirk', () => {
    expect(detection.frameworkVersion).toBe('0.3.6');
    expect(codes(detection)).toContain('introspect-legacy-settings');
    expectSound(detection, text, toml);
  });
  it('infers PostgreSQL from settings + features, not sqlite (shallow merge) nor "unknown" (introspect)', () => {
    expect(toml.database).toEqual({ engine: 'postgresql' });
    expect(detection.settings?.databases[0]).toMatchObject({
      engine: 'postgresql',
      host: 'fieldnotes-postgresql',
      name: 'fieldnotes',
    });
    expect(toml.health?.path).toBe('/api/healthz/');
  });
});

describe('fixture fresh-restful-no-introspect (template defaults, introspect unavailable)', () => {
  const error = readFixture('fresh-restful-no-introspect', 'introspect.error.txt') as string;
  const { detection, text, toml } = run('fresh-restful-no-introspect', { introspect: { error } });
  it('continues with static analysis and reports the missing pieces', () => {
    expect(detection.packageName).toBe('taskboard');
    expect(detection.packageVersion).toBe('0.1.0');
    expect(detection.introspect.status).toBe('failed');
    expect(codes(detection)).toEqual(
      expect.arrayContaining(['introspect-failed', 'no-commands-server', 'health-path-assumed']),
    );
    expectSound(detection, text, toml);
  });
  it('uses the production profile (not the .example twin) and treats the literal remote host as an existing database', () => {
    expect(detection.settings?.files).toEqual(['settings/base.toml', 'settings/production.toml']);
    expect(detection.signals.database).toBe('postgresql');
    expect(toml.database).toBeUndefined();
    expect(toml.env).toEqual({
      REINHARDT_DATABASE_HOST: 'prod-db.example.com',
      REINHARDT_DATABASE_PORT: '5432',
      REINHARDT_DATABASE_NAME: 'taskboard_prod',
      REINHARDT_DATABASE_USER: 'taskboard_user',
    });
    expect(codes(detection)).toContain('external-database');
  });
  it('suggests the introspect feature when no output is passed', () => {
    expect(codes(run('fresh-restful-no-introspect').detection)).toContain('introspect-unavailable');
  });
});
