// biome-ignore-all lint/suspicious/noTemplateCurlyInString: settings interpolation syntax is the subject under test
import { describe, expect, it } from 'vitest';
import { detectProject, generateToml } from '../../src/detect';
import { deepMerge, interpolate } from '../../src/detect/settings';
import { memoryFiles } from './fixture-files';

const pkg = (deps: string, extra = '') => `[package]\nname = "app"\nversion = "1.0.0"\n${extra}\n${deps}\n`;

describe('Cargo.toml analysis', () => {
  it('accepts the direct key, the renamed form and a string dependency (default features ⇒ standard ⇒ PostgreSQL)', () => {
    const direct = detectProject(
      memoryFiles({
        'Cargo.toml': pkg(
          '[dependencies]\nreinhardt-web = { version = "0.3", features = ["db-mysql"], default-features = false }',
        ),
      }),
    );
    expect(direct.signals.database).toBe('mysql');
    const renamed = detectProject(
      memoryFiles({
        'Cargo.toml': pkg(
          '[dependencies]\nweb = { package = "reinhardt-web", version = "0.3", features = ["tasks"], default-features = false }',
        ),
      }),
    );
    expect(renamed.signals.worker).toBe(true);
    expect(renamed.signals.database).toBeUndefined();
    const plain = detectProject(memoryFiles({ 'Cargo.toml': pkg('[dependencies]\nreinhardt-web = "0.3"') }));
    expect(plain.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plain.resolvedFeatures).toEqual(expect.arrayContaining(['default', 'standard', 'db-postgres']));
    expect(plain.signals.database).toBe('postgresql');
  });

  it('matches features exactly, not by substring', () => {
    const d = detectProject(
      memoryFiles({
        'Cargo.toml': pkg(
          '[dependencies]\nreinhardt = { package = "reinhardt-web", default-features = false, features = ["middleware-auth-jwt-x", "admin-tools", "session-cookie", "tasks-ui"] }',
        ),
      }),
    );
    expect(d.signals).toMatchObject({ jwt: false, admin: false, worker: false, pages: false });
    expect(d.signals.sessions).toBeUndefined();
  });

  it('reports a project without the framework', () => {
    const d = detectProject(memoryFiles({ 'Cargo.toml': pkg('[dependencies]\nserde = "1"') }));
    expect(d.config).toBeUndefined();
    expect(d.diagnostics[0]).toMatchObject({ severity: 'error', code: 'not-reinhardt', file: 'Cargo.toml' });
    expect(d.diagnostics[0]?.message).toMatch(
      /^Not a reinhardt-web project: no reinhardt-web dependency found/,
    );
    expect(generateToml(d)).toBe('');
  });

  it('rejects a shell-unsafe package name and a missing Cargo.toml without throwing', () => {
    const bad = detectProject(
      memoryFiles({ 'Cargo.toml': '[package]\nname = "a b"\n[dependencies]\nreinhardt-web = "0.3"\n' }),
    );
    expect(bad.diagnostics[0]?.code).toBe('cargo-invalid-name');
    const none = detectProject(memoryFiles({}));
    expect(none.diagnostics[0]?.code).toBe('cargo-missing');
    const throwing = detectProject({
      read: () => {
        throw new Error('EACCES');
      },
    });
    expect(throwing.diagnostics[0]?.code).toBe('internal-error');
  });

  it('locates a syntax error in Cargo.toml', () => {
    const d = detectProject(memoryFiles({ 'Cargo.toml': '[package]\nname = "app"\nversion = 1.0.0\n' }));
    expect(d.diagnostics[0]).toMatchObject({ code: 'cargo-parse-error', file: 'Cargo.toml' });
    expect(d.diagnostics[0]?.range.start.line).toBe(2);
  });

  it('adds member-level features to a `workspace = true` entry and resolves glob members', () => {
    const files = memoryFiles({
      'Cargo.toml':
        '[workspace]\nmembers = ["apps/*"]\n[workspace.package]\nversion = "2.0.0"\n[workspace.dependencies]\nreinhardt = { package = "reinhardt-web", default-features = false, features = ["minimal"] }\n',
      'apps/web/Cargo.toml':
        '[package]\nname = "web"\nversion.workspace = true\n[[bin]]\nname = "manage"\npath = "src/bin/manage.rs"\n[dependencies]\nreinhardt = { workspace = true, features = ["db-sqlite"] }\n',
      'apps/web/settings/base.toml': '[core]\ndebug = false\n',
    });
    const d = detectProject({ ...files, list: (dir) => (dir === 'apps' ? ['web'] : []) });
    expect(d.crateDir).toBe('apps/web');
    expect(d.packageVersion).toBe('2.0.0');
    expect(d.declaredFeatures).toEqual(['minimal', 'db-sqlite']);
    expect(d.signals.database).toBe('sqlite');
  });

  it('does not use wasm32-only features for server infrastructure', () => {
    const d = detectProject(
      memoryFiles({
        'Cargo.toml': pkg(
          `[target.'cfg(target_arch = "wasm32")'.dependencies]\nreinhardt = { package = "reinhardt-web", default-features = false, features = ["pages", "db-postgres"] }`,
        ),
      }),
    );
    expect(d.wasmFeatures).toEqual(['pages', 'db-postgres']);
    expect(d.signals.pages).toBe(true);
    expect(d.signals.database).toBeUndefined();
  });
});

describe('settings', () => {
  it('interpolates ${VAR}, ${VAR:-default}, ${VAR:?message} and $$', () => {
    const env = { SET: 'v', EMPTY: '' };
    expect(interpolate('a-${SET}-b', env).value).toBe('a-v-b');
    expect(interpolate('${UNSET:-fallback}', env).value).toBe('fallback');
    expect(interpolate('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolate('${UNSET:-}', env).value).toBe('');
    expect(interpolate('${UNSET:?must be set}', env)).toMatchObject({ value: undefined, missing: ['UNSET'] });
    expect(interpolate('${UNSET}', env)).toMatchObject({ value: undefined, missing: ['UNSET'] });
    expect(interpolate('cost $$5', env).value).toBe('cost $5');
    expect(interpolate('${SET:-x}', env).soleVariable).toBe('SET');
    expect(interpolate('pre-${SET}', env).soleVariable).toBeUndefined();
  });

  it('deep-merges tables and replaces everything else', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: { e: 1 } })).toEqual({
      a: { b: 1, c: [3] },
      d: { e: 1 },
    });
  });

  it('reads a top-level [database] table, the profile from REINHARDT_ENV, and MySQL without failing', () => {
    const files = memoryFiles({
      'Cargo.toml': pkg(
        '[dependencies]\nreinhardt-web = { version = "0.3", default-features = false, features = ["db-mysql"] }',
      ),
      'settings/base.toml':
        '[database]\nengine = "reinhardt.db.backends.mysql"\nhost = "db"\nport = "${DB_PORT:-3307}"\nname = "shop"\n',
      'settings/staging.toml': '[database]\nhost = "staging-db.example.net"\n',
    });
    const prod = detectProject(files);
    expect(prod.settings?.databases[0]).toMatchObject({
      engine: 'mysql',
      host: 'db',
      port: 3307,
      name: 'shop',
    });
    expect(generateToml(prod)).toContain('[database]\nengine = "mysql"\n');
    const staging = detectProject(files, { env: { REINHARDT_ENV: 'staging' } });
    expect(staging.settings?.files).toEqual(['settings/base.toml', 'settings/staging.toml']);
    expect(staging.signals.databaseExternal).toBe(true);
  });

  it('reports a settings syntax error with its location and keeps going', () => {
    const d = detectProject(
      memoryFiles({
        'Cargo.toml': pkg(
          '[dependencies]\nreinhardt-web = { version = "0.3", default-features = false, features = ["db-postgres"] }',
        ),
        'settings/base.toml': '[core\n',
      }),
    );
    const diag = d.diagnostics.find((x) => x.code === 'settings-parse-error');
    expect(diag).toMatchObject({ severity: 'warning', file: 'settings/base.toml' });
    expect(d.signals.database).toBe('postgresql');
  });

  it('never copies a password into [env]', () => {
    const d = detectProject(
      memoryFiles({
        'Cargo.toml': pkg(
          '[dependencies]\nreinhardt-web = { version = "0.3", default-features = false, features = ["db-postgres"] }',
        ),
        'settings/base.toml':
          '[core.databases.default]\nengine = "postgresql"\nhost = "pg.example.org"\nuser = "u"\npassword = "hunter2"\n',
      }),
    );
    const text = generateToml(d);
    expect(text).toContain('REINHARDT_DATABASE_HOST = "pg.example.org"');
    expect(text).not.toContain('hunter2');
  });
});

describe('introspect input', () => {
  const cargo = pkg(
    '[dependencies]\nreinhardt-web = { version = "0.3", default-features = false, features = ["minimal", "introspect"] }',
  );
  it('treats "none" signals as absent and finds the JSON object after log lines', () => {
    const stdout = `INFO starting\n${JSON.stringify({
      app: { name: 'app', version: '1.0.0' },
      databases: [],
      routes: [{ path: '/health/', methods: ['GET'], name: 'health', namespace: null }],
      middleware: [],
      settings: { server: { default_port: 8000, debug: false }, security: {} },
      features: {
        declared: [],
        resolved: [],
        infrastructure_signals: {
          database: 'none',
          cache: 'none',
          websocket: false,
          background_worker: false,
          grpc: false,
          storage: null,
          mail: null,
          session_backend: null,
          graphql: false,
          admin_panel: false,
          i18n: false,
        },
      },
    })}\n`;
    const d = detectProject(memoryFiles({ 'Cargo.toml': cargo }), { introspect: { stdout, format: 'json' } });
    expect(d.introspect.status).toBe('used');
    expect(d.signals.database).toBeUndefined();
    expect(d.signals.cache).toBeUndefined();
    expect(d.config?.health).toMatchObject({ path: '/health/' });
  });
  it('reports unusable output and falls back to static analysis', () => {
    const d = detectProject(memoryFiles({ 'Cargo.toml': cargo }), {
      introspect: { stdout: 'not: [valid', format: 'yaml' },
    });
    expect(d.introspect.status).toBe('invalid');
    expect(d.diagnostics.some((x) => x.code === 'introspect-invalid')).toBe(true);
    expect(d.config?.app).toEqual({ name: 'app', image: 'app:latest' });
  });
});
