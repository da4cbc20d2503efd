// Project detection: Cargo manifests + deep-merged settings + (optionally) `manage introspect`, reconciled
// with the precedence of introspect-mapping.md §9, producing the `reinhardt-cloud.toml` content `init` writes.
import { tomlConfigSchema } from '../toml/schema';
import { analyzeCargo, type CrateAnalysis, hasPath, lockedFrameworkVersion } from './cargo';
import { expandFeatures } from './features';
import { healthRoute, type IntrospectData, parseIntrospect } from './introspect';
import { readSettings } from './settings';
import type {
  DatabaseEngine,
  Detection,
  DetectOptions,
  ProjectFiles,
  SettingsDatabase,
  SettingsSummary,
  Signals,
  TomlValue,
} from './types';
import { fileDiagnostic, fileIn } from './util';

export const DEFAULT_HEALTH_PATH = '/api/healthz/';
export const DEFAULT_WORKER_CONCURRENCY = 4;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0']);

/** Never throws: unexpected failures become an `internal-error` diagnostic. */
export function detectProject(files: ProjectFiles, opts: DetectOptions = {}): Detection {
  try {
    return detect(files, opts);
  } catch (e) {
    return {
      ...emptyDetection(),
      diagnostics: [
        fileDiagnostic(
          'error',
          'internal-error',
          `project detection failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
        ),
      ],
    };
  }
}

function emptyDetection(): Detection {
  return {
    crateDir: '.',
    declaredFeatures: [],
    wasmFeatures: [],
    resolvedFeatures: [],
    subcrateFeatures: {},
    signals: {
      worker: false,
      pages: false,
      admin: false,
      staticFiles: false,
      websockets: false,
      grpc: false,
      graphql: false,
      jwt: false,
      oauth: false,
      i18n: false,
      migrations: false,
      serverCommand: false,
      introspectCommand: false,
    },
    binaries: [],
    introspect: { status: 'not-provided' },
    config: undefined,
    reasons: [],
    diagnostics: [],
  };
}

function stripRequirement(req: string): string {
  return req.replace(/^[=^~<>\s]+/, '').trim();
}

/** True when `version` (x.y.z) is below `floor`. */
function versionBelow(version: string, floor: [number, number, number]): boolean {
  const parts = version.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < 3; i++) {
    const v = parts[i] ?? 0;
    if (Number.isNaN(v)) return false;
    if (v !== floor[i]) return v < (floor[i] as number);
  }
  return false;
}

function detect(files: ProjectFiles, opts: DetectOptions): Detection {
  const env = opts.env ?? {};
  const out = emptyDetection();
  const diagnostics = out.diagnostics;
  const reasons = out.reasons;
  const because = (key: string, text: string) => reasons.push({ key, because: text });

  const cargo = analyzeCargo(files, diagnostics);
  if (!cargo.ok) {
    // Still read the settings so the user learns what will be inferred once the manifest is fixed.
    const settings = readSettings(files, '.', env, []);
    if (settings) out.settings = settings;
    const db = settings?.databases.find((d) => d.alias === 'default');
    if (db?.engineRaw && diagnostics.some((d) => d.code === 'cargo-parse-error')) {
      diagnostics.push(
        fileDiagnostic(
          'info',
          'settings-readable',
          `settings/ is readable (profile ${settings?.profile}): ${db.engineRaw} database${db.name ? ` \`${db.name}\`` : ''}${db.host ? ` on ${db.host}${db.port ? `:${db.port}` : ''}` : ''}; it will be used once Cargo.toml parses`,
        ),
      );
    }
    return out;
  }
  const crate = cargo.crate;
  out.crateDir = crate.crateDir;
  if (crate.workspaceRoot) out.workspaceRoot = crate.workspaceRoot;
  out.packageName = crate.name;
  out.packageVersion = crate.version;
  out.declaredFeatures = crate.declaredFeatures;
  out.wasmFeatures = crate.wasmFeatures;
  out.subcrateFeatures = crate.subcrateFeatures;
  out.binaries = crate.binaries;
  const locked = lockedFrameworkVersion(files, [
    crate.crateDir,
    ...(crate.workspaceRoot ? [crate.workspaceRoot] : []),
  ]);
  const frameworkVersion =
    locked ?? (crate.frameworkRequirement ? stripRequirement(crate.frameworkRequirement) : undefined);
  if (frameworkVersion) out.frameworkVersion = frameworkVersion;

  const declared = crate.defaultFeatures ? [...crate.declaredFeatures, 'default'] : crate.declaredFeatures;
  const resolved = expandFeatures(declared);
  out.resolvedFeatures = resolved;
  const has = (f: string) => resolved.includes(f);
  const sub = (crateName: string, f: string) => crate.subcrateFeatures[crateName]?.includes(f) ?? false;

  const settings = readSettings(files, crate.crateDir, env, diagnostics);
  if (settings) out.settings = settings;

  let intro: IntrospectData | undefined;
  if (opts.introspect) {
    const parsed = parseIntrospect(opts.introspect);
    if (parsed.ok) {
      intro = parsed.data;
      out.introspect = { status: 'used', document: intro.document };
      if (intro.app && (intro.app.name === 'unknown' || intro.app.name !== crate.name)) {
        diagnostics.push(
          fileDiagnostic(
            'warning',
            'introspect-wrong-directory',
            `manage introspect reported app \`${intro.app.name}\` but the deployable crate is \`${crate.name}\`; run it with the crate directory (${crate.crateDir}) as working directory`,
          ),
        );
      }
      if (frameworkVersion && versionBelow(frameworkVersion, [0, 3, 7])) {
        diagnostics.push(
          fileDiagnostic(
            'warning',
            'introspect-legacy-settings',
            `reinhardt-web ${frameworkVersion}: manage introspect ignores the [core] settings layout before 0.3.7 (databases "unknown", debug true, security flags false); settings files were used instead. Consider upgrading to >= 0.3.7.`,
          ),
        );
      }
    } else {
      const failed = 'error' in opts.introspect;
      out.introspect = { status: failed ? 'failed' : 'invalid', detail: parsed.error };
      diagnostics.push(
        fileDiagnostic(
          'warning',
          failed ? 'introspect-failed' : 'introspect-invalid',
          `manage introspect ${failed ? 'failed' : 'output unusable'}: ${parsed.error.split('\n')[0]}; continuing with static analysis${has('introspect') || crate.declaredFeatures.includes('full') ? '' : ' (add the `introspect` feature to the reinhardt dependency to enable it)'}`,
        ),
      );
    }
  } else if (!has('introspect') && !crate.declaredFeatures.includes('full')) {
    diagnostics.push(
      fileDiagnostic(
        'info',
        'introspect-unavailable',
        'manage introspect is not compiled in (no `introspect` feature); detection uses Cargo.toml and settings only. Add "introspect" to the reinhardt features for route-aware detection.',
      ),
    );
  }

  const s = out.signals;
  s.migrations = hasPath(files, fileIn(crate.crateDir, 'migrations'));
  s.serverCommand = has('commands-server') || crate.declaredFeatures.includes('full');
  s.introspectCommand = has('introspect') || crate.declaredFeatures.includes('full');
  s.jwt = has('auth-jwt');
  s.oauth = has('auth-oauth');
  s.websockets =
    has('websockets') ||
    'reinhardt-websockets' in crate.subcrateFeatures ||
    (intro?.signals.websocket ?? false);
  s.grpc = has('grpc') || (intro?.signals.grpc ?? false);
  s.graphql = has('graphql') || (intro?.signals.graphql ?? false);
  s.i18n = has('i18n') || (intro?.signals.i18n ?? false);
  s.admin = has('admin') || (intro?.signals.adminPanel ?? false);
  s.staticFiles = has('static-files') || s.admin;
  // Pages in any target (admin implies it), or an SPA shell next to a wasm32 dependency table.
  s.pages =
    has('pages') ||
    crate.wasmFeatures.includes('pages') ||
    (crate.wasmFeatures.length > 0 && hasPath(files, fileIn(crate.crateDir, 'index.html')));

  const config: { [table: string]: TomlValue } = {};
  config.app = { name: crate.name, image: `${crate.name}:latest` };
  because(
    'app.name',
    `[package].name in ${fileIn(crate.crateDir, 'Cargo.toml')}${crate.chosenBecause ? ` (${crate.chosenBecause})` : ''}`,
  );
  because('app.image', 'default image tag <name>:latest; point it at your registry');

  inferDatabase(out, config, settings, intro, has, because);
  if (s.jwt) {
    config.auth = { jwt: true };
    because('auth.jwt', 'feature `auth-jwt` needs a JWT signing secret');
  }

  const health = intro ? healthRoute(intro) : undefined;
  config.health = { path: health ?? DEFAULT_HEALTH_PATH, port: 8000, interval_seconds: 10 };
  if (health) because('health.path', `GET ${health} found in the manage introspect route list`);
  else {
    because(
      'health.path',
      `assumption: no health route is known (the framework has none built in); serve GET ${DEFAULT_HEALTH_PATH} or change this path`,
    );
    diagnostics.push(
      fileDiagnostic(
        'info',
        'health-path-assumed',
        `[health].path ${DEFAULT_HEALTH_PATH} is an assumption: no health route was found`,
        undefined,
        'health.path',
      ),
    );
  }
  config.services = { port: 80, target_port: 8000 };
  because('services.target_port', 'manage runserver listens on 8000 (introspect reports the same constant)');
  config.scale = { min_replicas: 2, max_replicas: 6, metric: 'cpu', target_value: 70 };
  because('scale', 'default autoscaling: 2-6 replicas at 70% CPU');

  inferCache(out, config, settings, intro, has, sub, because);
  inferWorker(out, crate, config, settings, intro, has, sub, because);
  inferStorage(out, config, settings, intro, has, sub, because);
  inferMail(out, config, settings, intro, has, because);

  const infrastructure: { [k: string]: TomlValue } = {};
  if (config.database && (config.database as { engine: string }).engine === 'postgresql') {
    infrastructure.postgres = { version: '16', backup_retention_days: 7 };
    because('infrastructure.postgres', 'managed PostgreSQL for [database] (version 16, 7 days of backups)');
  }
  const storage = config.storage as { backend?: string; bucket?: string } | undefined;
  if (storage && (storage.backend === 's3' || storage.backend === 'gcs')) {
    const name = storage.bucket ?? `${crate.name}-assets`;
    infrastructure.buckets = [{ name, public: false }];
    because('infrastructure.buckets', `private ${storage.backend} bucket ${name} for [storage]`);
  }
  if (Object.keys(infrastructure).length > 0) config.infrastructure = infrastructure;

  const envTable = (config.env as Record<string, string> | undefined) ?? {};
  if (Object.keys(envTable).length > 0) config.env = envTable;
  else delete config.env;

  // Order the tables as the spec lists them (the generator relies on it).
  out.config = orderConfig(config);

  if (!s.serverCommand) {
    diagnostics.push(
      fileDiagnostic(
        'warning',
        'no-commands-server',
        '`commands-server` is not enabled: `manage runserver` only prints "Server feature not enabled". Add "commands-server" to the reinhardt features (or ship your own server binary).',
        fileIn(crate.crateDir, 'Cargo.toml'),
      ),
    );
  }
  if (s.pages) {
    diagnostics.push(
      fileDiagnostic(
        'info',
        'pages-detected',
        'pages (WASM) frontend detected: the image needs a wasm32 build and `manage collectstatic --no-input`; reinhardt-cloud.toml has no pages table, the operator enables pages from the project analysis',
      ),
    );
  }
  if (crate.versionNote) because('app', crate.versionNote);
  if (settings && settings.missingEnv.length > 0) {
    diagnostics.push(
      fileDiagnostic(
        'info',
        'settings-required-env',
        `settings profile ${settings.profile} requires ${settings.missingEnv.join(', ')} at runtime (not set now; values that depend on them were left out)`,
      ),
    );
  }
  return out;
}

/** The spec's table order is the schema's key order: one list, in `toml/schema.ts`. */
const TABLE_ORDER: readonly string[] = Object.keys(tomlConfigSchema.shape);

export function isKnownTable(name: string): boolean {
  return TABLE_ORDER.includes(name);
}

export function tableOrder(name: string): number {
  const i = TABLE_ORDER.indexOf(name);
  return i < 0 ? TABLE_ORDER.length : i;
}

function orderConfig(config: { [table: string]: TomlValue }): { [table: string]: TomlValue } {
  const ordered: { [table: string]: TomlValue } = {};
  for (const key of Object.keys(config).sort((a, b) => tableOrder(a) - tableOrder(b))) {
    ordered[key] = config[key] as TomlValue;
  }
  return ordered;
}

type Because = (key: string, text: string) => void;
type Config = { [table: string]: TomlValue };

function isExternalHost(db: SettingsDatabase): boolean {
  if (!db.host || db.fromEnv.host) return false;
  return !LOCAL_HOSTS.has(db.host) && db.host.includes('.');
}

function inferDatabase(
  out: Detection,
  config: Config,
  settings: SettingsSummary | undefined,
  intro: IntrospectData | undefined,
  has: (f: string) => boolean,
  because: Because,
): void {
  const s = out.signals;
  const settingsDb = settings?.databases.find((d) => d.alias === 'default');
  const introDb = intro?.databases.find((d) => d.alias === 'default');
  const introEngine = introDb && !/^unknown$/i.test(introDb.engine) ? introDb.engine : undefined;
  const dbFeatures = ['db-postgres', 'db-mysql', 'db-sqlite', 'db-cockroachdb'].filter(has);
  const featureEngine: DatabaseEngine | undefined =
    has('db-cockroachdb') && !has('db-postgres')
      ? 'cockroachdb'
      : has('db-postgres')
        ? 'postgresql'
        : has('db-mysql')
          ? 'mysql'
          : has('db-sqlite')
            ? 'sqlite'
            : has('database')
              ? 'postgresql'
              : undefined;
  const evidence: string[] = [];
  if (has('database')) evidence.push(`feature ${dbFeatures[0] ?? 'database'}`);
  if (s.migrations) evidence.push('migrations/ exists');
  if (introDb && introDb.tables > 0) evidence.push(`introspect lists ${introDb.tables} tables`);
  if (evidence.length === 0 && !settingsDb?.engineRaw) return;
  if (evidence.length === 0) evidence.push('a database in the settings');

  let engine: DatabaseEngine;
  let source: string;
  if (settingsDb?.engine) {
    engine = settingsDb.engine;
    source = `settings engine "${settingsDb.engineRaw}" (profile ${settings?.profile})`;
  } else if (introEngine && introDbEngine(introEngine)) {
    engine = introDbEngine(introEngine) as DatabaseEngine;
    source = `manage introspect database engine "${introEngine}"`;
  } else if (featureEngine) {
    engine = featureEngine;
    source = `feature ${dbFeatures.length > 0 ? dbFeatures.join(', ') : 'database'}`;
  } else if (intro?.signals.database && introDbEngine(intro.signals.database)) {
    engine = introDbEngine(intro.signals.database) as DatabaseEngine;
    source = `manage introspect signal "${intro.signals.database}"`;
  } else {
    engine = 'postgresql';
    source = 'no engine named anywhere; PostgreSQL assumed';
  }
  if (
    engine === 'postgresql' &&
    ((has('db-cockroachdb') && !has('db-postgres')) || settingsDb?.port === 26257)
  ) {
    engine = 'cockroachdb';
    source += has('db-cockroachdb') ? ' with feature db-cockroachdb' : ' on port 26257';
  }
  if (dbFeatures.length > 1 && !settingsDb?.engine) {
    out.diagnostics.push(
      fileDiagnostic(
        'warning',
        'several-database-features',
        `several database features (${dbFeatures.join(', ')}) and no engine in the settings; chose ${engine}. Set engine in settings/${settings?.profile ?? 'production'}.toml to decide.`,
        undefined,
        'database.engine',
      ),
    );
  }
  s.database = engine;

  const external = settingsDb ? isExternalHost(settingsDb) : false;
  const managed = engine !== 'cockroachdb' && !external;
  if (managed) {
    config.database = { engine };
    because('database.engine', `${source}; needed because of ${evidence.join(', ')}`);
    if (engine === 'sqlite') {
      out.diagnostics.push(
        fileDiagnostic(
          'warning',
          'sqlite-in-production',
          'SQLite in production: the database file needs a persistent volume and a single writer; keep one replica or switch to PostgreSQL',
          undefined,
          'database.engine',
        ),
      );
    }
    if (settingsDb && Object.keys(settingsDb.fromEnv).length > 0) {
      because(
        'env',
        'database host/port/name/user are injected by the operator for the managed database (REINHARDT_DATABASE_*), so they are not copied from settings',
      );
    }
    return;
  }
  s.databaseExternal = true;
  const env: Record<string, string> = {};
  if (settingsDb?.host) env.REINHARDT_DATABASE_HOST = settingsDb.host;
  if (settingsDb?.port !== undefined) env.REINHARDT_DATABASE_PORT = String(settingsDb.port);
  if (settingsDb?.name) env.REINHARDT_DATABASE_NAME = settingsDb.name;
  if (settingsDb?.user) env.REINHARDT_DATABASE_USER = settingsDb.user;
  if (Object.keys(env).length > 0) {
    config.env = env;
    because(
      'env',
      `connection of the existing ${engine} database from settings/${settings?.profile}.toml (passwords are never copied)`,
    );
  }
  const why =
    engine === 'cockroachdb'
      ? `CockroachDB (${source}) is not provisioned by Reinhardt Cloud (its managed database is PostgreSQL on 5432); point the app at your CockroachDB cluster`
      : `settings point at an external ${engine} database on ${settingsDb?.host}; no database is provisioned. Add [database] engine = "${engine}" if Reinhardt Cloud should run one`;
  out.diagnostics.push(
    fileDiagnostic(
      'warning',
      engine === 'cockroachdb' ? 'cockroachdb-not-provisioned' : 'external-database',
      why,
      undefined,
      'database',
    ),
  );
}

function introDbEngine(raw: string): DatabaseEngine | undefined {
  const e = raw.toLowerCase();
  if (e.includes('cockroach')) return 'cockroachdb';
  if (e.includes('postgres')) return 'postgresql';
  if (e.includes('mysql') || e.includes('mariadb')) return 'mysql';
  if (e.includes('sqlite')) return 'sqlite';
  return undefined;
}

function inferCache(
  out: Detection,
  config: Config,
  settings: SettingsSummary | undefined,
  intro: IntrospectData | undefined,
  has: (f: string) => boolean,
  sub: (c: string, f: string) => boolean,
  because: Because,
): void {
  const s = out.signals;
  const sessionEngine = settings?.sessionEngine;
  if (
    sessionEngine === 'redis' ||
    sessionEngine === 'database' ||
    sessionEngine === 'cookie' ||
    sessionEngine === 'file'
  ) {
    s.sessions = sessionEngine;
  } else if (has('session-redis') || sub('reinhardt-auth', 'redis-sessions')) s.sessions = 'redis';
  else if (intro?.signals.sessionBackend === 'redis') s.sessions = 'redis';
  else if (has('sessions')) s.sessions = 'cookie';

  const needs: string[] = [];
  const backend = settings?.cacheBackend;
  if (backend === 'redis') needs.push(`settings [cache] backend = "redis"`);
  else if (backend === 'memcached' || backend === 'memcache') s.cache = 'memcached';
  else if (backend === undefined) {
    if (has('redis-backend')) needs.push('feature redis-backend');
    if (sub('reinhardt-utils', 'redis-backend')) needs.push('reinhardt-utils feature redis-backend');
    if (
      !has('redis-backend') &&
      intro?.signals.cache === 'redis' &&
      needs.length === 0 &&
      s.sessions !== 'redis'
    ) {
      needs.push('manage introspect cache signal "redis"');
    }
  }
  if (s.sessions === 'redis') needs.push('Redis-backed sessions');
  if (sub('reinhardt-websockets', 'redis-channel'))
    needs.push('WebSocket Redis channel layer (reinhardt-websockets redis-channel)');
  if (needs.length > 0) {
    s.cache = 'redis';
    config.cache = { backend: 'redis' };
    because('cache.backend', needs.join(', '));
  }
  if (s.cache === 'memcached') {
    out.diagnostics.push(
      fileDiagnostic(
        'warning',
        'memcached-not-provisioned',
        'settings use a memcached cache; Reinhardt Cloud only provisions Redis, so point the cache location at your memcached',
        undefined,
        'cache',
      ),
    );
  }
}

function inferWorker(
  out: Detection,
  crate: CrateAnalysis,
  config: Config,
  settings: SettingsSummary | undefined,
  intro: IntrospectData | undefined,
  has: (f: string) => boolean,
  sub: (c: string, f: string) => boolean,
  because: Because,
): void {
  const s = out.signals;
  const evidence: string[] = [];
  if (has('tasks')) evidence.push('feature tasks');
  if ('reinhardt-tasks' in crate.subcrateFeatures) evidence.push('reinhardt-tasks dependency');
  if (intro?.signals.backgroundWorker && evidence.length === 0)
    evidence.push('manage introspect background_worker signal');
  if (evidence.length === 0) return;
  s.worker = true;
  const broker =
    settings?.taskBroker ??
    (sub('reinhardt-tasks', 'rabbitmq-backend')
      ? 'rabbitmq'
      : sub('reinhardt-tasks', 'redis-backend')
        ? 'redis'
        : sub('reinhardt-tasks', 'sqs-backend')
          ? 'sqs'
          : sub('reinhardt-tasks', 'kafka-backend')
            ? 'kafka'
            : sub('reinhardt-tasks', 'database-backend')
              ? 'database'
              : undefined);
  if (broker) s.taskBroker = broker;
  const concurrency = settings?.workerConcurrency ?? DEFAULT_WORKER_CONCURRENCY;
  const worker: { concurrency: number; command?: string[] } = { concurrency };
  const workerBin = out.binaries.find(
    (b) => b.name !== 'manage' && (/worker/i.test(b.name) || crate.taskMembers.includes(b.crate)),
  );
  if (workerBin) worker.command = [workerBin.name];
  config.worker = worker;
  because('worker', `${evidence.join(', ')}${broker ? `; broker ${broker}` : ''}`);
  because(
    'worker.concurrency',
    settings?.workerConcurrency
      ? `[tasks_worker] concurrency in settings`
      : `default ${DEFAULT_WORKER_CONCURRENCY} (must be > 0)`,
  );
  if (workerBin) because('worker.command', `binary ${workerBin.name} of ${workerBin.crate}`);
  else {
    out.diagnostics.push(
      fileDiagnostic(
        'warning',
        'worker-command-unknown',
        'background tasks detected but the framework has no built-in worker command; set [worker].command to your worker entry point (a custom manage command or a worker binary)',
        undefined,
        'worker.command',
      ),
    );
  }
  if (broker === 'redis' && !config.cache) {
    config.cache = { backend: 'redis' };
    s.cache = 'redis';
    because('cache.backend', 'task broker is Redis (reinhardt-tasks redis-backend)');
  } else if (broker && broker !== 'redis' && broker !== 'database') {
    out.diagnostics.push(
      fileDiagnostic(
        'info',
        'task-broker-external',
        `task broker ${broker} is not provisioned; provide its URL through [env] or a secret`,
        undefined,
        'worker',
      ),
    );
  }
}

function inferStorage(
  out: Detection,
  config: Config,
  settings: SettingsSummary | undefined,
  intro: IntrospectData | undefined,
  has: (f: string) => boolean,
  sub: (c: string, f: string) => boolean,
  because: Because,
): void {
  const s = out.signals;
  let backend: Signals['storage'];
  let source = '';
  const sb = settings?.storageBackend;
  if (sb === 's3' || sb === 'gcs' || sb === 'azure' || sb === 'local') {
    backend = sb;
    source = `settings [storage] backend = "${sb}"`;
  } else {
    for (const cloud of ['s3', 'gcs', 'azure'] as const) {
      if (sub('reinhardt-storages', cloud)) {
        backend = cloud;
        source = `reinhardt-storages feature ${cloud}`;
        break;
      }
      if (sub('reinhardt-utils', cloud) || has(`file-storage-${cloud}`)) {
        backend = cloud;
        source = `feature ${cloud}`;
        break;
      }
    }
    if (!backend && intro?.signals.storage && ['s3', 'gcs', 'azure'].includes(intro.signals.storage)) {
      backend = intro.signals.storage as Signals['storage'];
      source = `manage introspect storage signal "${intro.signals.storage}"`;
    }
    if (
      !backend &&
      (has('storage') || has('file-storage-local') || 'reinhardt-storages' in out.subcrateFeatures)
    ) {
      backend = 'local';
      source = 'feature storage (local filesystem)';
    }
  }
  if (!backend) return;
  s.storage = backend;
  if (backend === 'azure') {
    out.diagnostics.push(
      fileDiagnostic(
        'warning',
        'azure-storage-unsupported',
        'Azure Blob storage detected; reinhardt-cloud.toml supports s3, gcs and pvc, so configure the container yourself',
        undefined,
        'storage',
      ),
    );
    return;
  }
  const storage: { backend: string; bucket?: string } = { backend: backend === 'local' ? 'pvc' : backend };
  if (backend !== 'local' && settings?.storageBucket) storage.bucket = settings.storageBucket;
  config.storage = storage;
  because('storage.backend', backend === 'local' ? `${source}: uploads need a persistent volume` : source);
  if (storage.bucket) because('storage.bucket', `settings [storage.${backend}] bucket`);
}

function inferMail(
  out: Detection,
  config: Config,
  settings: SettingsSummary | undefined,
  intro: IntrospectData | undefined,
  has: (f: string) => boolean,
  because: Because,
): void {
  if (!has('mail') && !intro?.signals.mail) return;
  const backend = settings?.emailBackend;
  if (backend && backend !== 'smtp') {
    if (backend === 'console') {
      out.diagnostics.push(
        fileDiagnostic(
          'warning',
          'mail-console-backend',
          `the ${settings?.profile} profile uses the console e-mail backend: mail is printed, not sent`,
          undefined,
          'mail',
        ),
      );
    }
    return;
  }
  out.signals.mail = 'smtp';
  const mail: { smtp_host?: string; smtp_port?: number } = {};
  if (settings?.emailHost) mail.smtp_host = settings.emailHost;
  if (settings?.emailPort !== undefined) mail.smtp_port = settings.emailPort;
  if (Object.keys(mail).length === 0) {
    out.diagnostics.push(
      fileDiagnostic(
        'info',
        'mail-unconfigured',
        'feature mail is on but the settings have no [email] host; add [mail] smtp_host/smtp_port',
        undefined,
        'mail',
      ),
    );
    return;
  }
  config.mail = mail;
  because('mail', `feature mail + settings [email] (profile ${settings?.profile})`);
}
