import type { Diagnostic } from '../diagnostics';

/**
 * Read access to a project directory, supplied by the caller (CLI: node:fs, extension: workspace FS).
 * Paths are relative to the project directory and use `/`; `..` segments walk up to a workspace root.
 */
export interface ProjectFiles {
  /** File text, or `undefined` when the file does not exist or cannot be read. */
  read(relPath: string): string | undefined;
  /** Whether a file or directory exists; when absent, detection falls back to `read` / `list`. */
  exists?(relPath: string): boolean;
  /** Entry names (not paths) of a directory; only needed for `members = ["crates/*"]` globs. */
  list?(relDir: string): string[];
}

/** Output of `manage introspect`, as passed by the caller (stdout text), or the reason it failed. */
export type IntrospectInput = { stdout: string; format: 'json' | 'yaml' } | { error: string };

export interface DetectOptions {
  /** Environment used for `REINHARDT_ENV` and `${VAR}` interpolation in settings files. */
  env?: Record<string, string | undefined>;
  introspect?: IntrospectInput;
}

/** A detection diagnostic; `file` names the input file the range points into (`Cargo.toml`, `settings/production.toml`). */
export interface DetectDiagnostic extends Diagnostic {
  file?: string;
}

/** Database engines detection can tell apart; `cockroachdb` speaks the PostgreSQL protocol but is not provisioned. */
export type DatabaseEngine = 'postgresql' | 'mysql' | 'sqlite' | 'cockroachdb';

export interface Signals {
  database?: DatabaseEngine;
  /** The settings describe a database the project expects to find outside the cluster. */
  databaseExternal?: boolean;
  cache?: 'redis' | 'memcached';
  sessions?: 'cookie' | 'database' | 'redis' | 'file';
  worker: boolean;
  taskBroker?: 'redis' | 'rabbitmq' | 'sqs' | 'kafka' | 'database';
  storage?: 's3' | 'gcs' | 'azure' | 'local';
  mail?: 'smtp';
  pages: boolean;
  admin: boolean;
  staticFiles: boolean;
  websockets: boolean;
  grpc: boolean;
  graphql: boolean;
  jwt: boolean;
  oauth: boolean;
  i18n: boolean;
  migrations: boolean;
  /** `manage runserver` actually serves HTTP (facade `commands-server`). */
  serverCommand: boolean;
  /** `manage introspect` is compiled in (facade `introspect` or `full`). */
  introspectCommand: boolean;
}

/** The database block of the target settings profile, deep-merged and interpolated. Passwords are dropped. */
export interface SettingsDatabase {
  alias: string;
  /** The `engine` string as written (after interpolation). */
  engineRaw?: string;
  engine?: DatabaseEngine;
  host?: string;
  port?: number;
  name?: string;
  user?: string;
  /** Keys whose value came from an environment variable of the same name the operator sets (`${REINHARDT_DATABASE_HOST:-…}`). */
  fromEnv: Partial<Record<'host' | 'port' | 'name' | 'user', string>>;
}

export interface SettingsSummary {
  profile: string;
  /** Settings files that were found and read, in merge order. */
  files: string[];
  databases: SettingsDatabase[];
  cacheBackend?: string;
  sessionEngine?: string;
  storageBackend?: string;
  storageBucket?: string;
  emailBackend?: string;
  emailHost?: string;
  emailPort?: number;
  workerConcurrency?: number;
  /** `[core] debug` (or legacy top-level `debug`) of the profile. */
  debug?: boolean;
  /** Security flags as `manage introspect` reports them, from `[core.security]` (or legacy `[security]`). */
  security?: {
    ssl_redirect: boolean;
    session_cookie_secure: boolean;
    csrf_cookie_secure: boolean;
    hsts_enabled: boolean;
  };
  taskBroker?: Signals['taskBroker'];
  /** Variables the profile requires (`${VAR}` / `${VAR:?}` / `{ env = "VAR" }`) that are not set in the given environment. */
  missingEnv: string[];
  /** Every variable the profile references. */
  referencedEnv: string[];
}

export interface Detection {
  /** Directory of the deployable crate relative to the project directory (`.` or `crates/api`). */
  crateDir: string;
  /** Workspace root relative to the project directory, when the crate belongs to a Cargo workspace. */
  workspaceRoot?: string;
  packageName?: string;
  packageVersion?: string;
  /** Framework (`reinhardt-web`) version from `Cargo.lock`, else the version requirement in `Cargo.toml`. */
  frameworkVersion?: string;
  /** Facade features declared on native (non-wasm32) targets, as written. */
  declaredFeatures: string[];
  /** Facade features declared for the wasm32 target. */
  wasmFeatures: string[];
  /** Declared native features expanded through the facade's implications (`standard` ⇒ `db-postgres`, …). */
  resolvedFeatures: string[];
  /** Features of framework sub-crates used directly (`reinhardt-tasks`, `reinhardt-storages`, …), per crate. */
  subcrateFeatures: Record<string, string[]>;
  signals: Signals;
  settings?: SettingsSummary;
  /** Binaries of the deployable crate and of other workspace members (`harbor-worker`). */
  binaries: { name: string; crate: string }[];
  /** `document` is the parsed `manage introspect` output when it was usable (see `introspectDocument`). */
  introspect: {
    status: 'used' | 'not-provided' | 'failed' | 'invalid';
    detail?: string;
    document?: Record<string, unknown>;
  };
  /** The `reinhardt-cloud.toml` content `init` writes, as a plain object in file order. */
  config: GeneratedConfig;
  /** What was inferred and why (`key` is a TOML path), printed by `init`. */
  reasons: { key: string; because: string }[];
  diagnostics: DetectDiagnostic[];
}

export type TomlScalar = string | number | boolean;
export type TomlValue =
  | TomlScalar
  | TomlScalar[]
  | { [key: string]: TomlValue }
  | { [key: string]: TomlValue }[];

/** Plain object shaped like `reinhardt-cloud.toml` (absent when detection failed fatally). */
export type GeneratedConfig = { [table: string]: TomlValue } | undefined;
