// Reads Reinhardt settings the way the framework's template loader does: `settings/base.toml` deep-merged
// with `settings/<profile>.toml`, then `${…}` interpolation. Unlike the original tool, a missing secret
// does not discard the whole file: only the affected value is left unresolved and the variable is reported.
import { parse, TomlError } from 'smol-toml';
import type {
  DatabaseEngine,
  DetectDiagnostic,
  ProjectFiles,
  SettingsDatabase,
  SettingsSummary,
} from './types';
import { locatedDiagnostic } from './util';

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge with the framework's semantics: tables merge key by key, everything else is replaced. */
export function deepMerge(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isTable(prev) && isTable(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

export interface Interpolated {
  /** `undefined` when a required variable is missing. */
  value: string | undefined;
  referenced: string[];
  missing: string[];
  /** Set when the whole string is a single `${VAR…}` token. */
  soleVariable?: string;
}

const TOKEN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g;

/** `${VAR}` (required), `${VAR:-default}`, `${VAR:?message}` (required), `$$` (literal `$`). Unset and empty are the same. */
export function interpolate(text: string, env: Record<string, string | undefined>): Interpolated {
  const referenced: string[] = [];
  const missing: string[] = [];
  let sole: string | undefined;
  const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[-?][^}]*)?\}$/.exec(text);
  if (whole) sole = whole[1];
  const value = text.replace(
    TOKEN,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (match === '$$') return '$';
      const varName = name as string;
      referenced.push(varName);
      const set = env[varName];
      if (set !== undefined && set !== '') return set;
      if (op === ':-') return arg ?? '';
      missing.push(varName);
      return '';
    },
  );
  return {
    value: missing.length > 0 ? undefined : value,
    referenced,
    missing,
    ...(sole ? { soleVariable: sole } : {}),
  };
}

export function normalizeEngine(raw: string | undefined): DatabaseEngine | undefined {
  if (!raw) return undefined;
  const e = raw.toLowerCase();
  if (e.includes('cockroach')) return 'cockroachdb';
  if (e.includes('postgres')) return 'postgresql';
  if (e.includes('mysql') || e.includes('mariadb')) return 'mysql';
  if (e.includes('sqlite')) return 'sqlite';
  return undefined;
}

interface Resolver {
  env: Record<string, string | undefined>;
  referenced: Set<string>;
  missing: Set<string>;
}

function str(r: Resolver, v: unknown): { value?: string; sole?: string } {
  if (typeof v === 'number' || typeof v === 'boolean') return { value: String(v) };
  if (isTable(v) && typeof v.env === 'string') {
    // Secret-typed `{ env = "VAR" }`: fails when unset.
    r.referenced.add(v.env);
    const set = r.env[v.env];
    if (set === undefined || set === '') {
      r.missing.add(v.env);
      return {};
    }
    return { value: set, sole: v.env };
  }
  if (typeof v !== 'string') return {};
  const i = interpolate(v, r.env);
  for (const name of i.referenced) r.referenced.add(name);
  for (const name of i.missing) r.missing.add(name);
  return {
    ...(i.value !== undefined ? { value: i.value } : {}),
    ...(i.soleVariable ? { sole: i.soleVariable } : {}),
  };
}

function int(r: Resolver, v: unknown): number | undefined {
  const s = str(r, v).value;
  if (s === undefined || !/^\d+$/.test(s.trim())) return undefined;
  return Number(s.trim());
}

/** Collects variable references of every string in a subtree, so required secrets are reported even if unused here. */
function scanRefs(r: Resolver, v: unknown): void {
  if (typeof v === 'string' || (isTable(v) && typeof v.env === 'string')) str(r, v);
  else if (Array.isArray(v)) for (const x of v) scanRefs(r, x);
  else if (isTable(v)) for (const x of Object.values(v)) scanRefs(r, x);
}

function readDatabase(r: Resolver, alias: string, block: Table): SettingsDatabase {
  const db: SettingsDatabase = { alias, fromEnv: {} };
  const engine = str(r, block.engine).value;
  if (engine) {
    db.engineRaw = engine;
    const normalized = normalizeEngine(engine);
    if (normalized) db.engine = normalized;
  }
  for (const key of ['host', 'name', 'user'] as const) {
    const s = str(r, block[key]);
    if (s.value !== undefined && s.value !== '') db[key] = s.value;
    if (s.sole) db.fromEnv[key] = s.sole;
  }
  const port = str(r, block.port);
  const portNumber = int(r, block.port);
  if (portNumber !== undefined) db.port = portNumber;
  if (port.sole) db.fromEnv.port = port.sole;
  return db;
}

export function readSettings(
  files: ProjectFiles,
  crateDir: string,
  env: Record<string, string | undefined>,
  diagnostics: DetectDiagnostic[],
): SettingsSummary | undefined {
  const profile = env.REINHARDT_ENV?.trim() || 'production';
  const prefix = crateDir === '.' ? '' : `${crateDir}/`;
  const read: string[] = [];
  let merged: Table = {};
  for (const name of ['base', profile]) {
    const rel = `settings/${name}.toml`;
    const text = files.read(`${prefix}${rel}`);
    if (text === undefined) continue;
    try {
      merged = deepMerge(merged, parse(text) as Table);
      read.push(rel);
    } catch (e) {
      const where = e instanceof TomlError ? { line: e.line, column: e.column } : { line: 1, column: 1 };
      diagnostics.push(
        locatedDiagnostic(
          'warning',
          'settings-parse-error',
          `${prefix}${rel}`,
          where.line,
          where.column,
          `cannot parse ${rel}: ${firstLine(e)}; its values are ignored`,
        ),
      );
    }
  }
  if (read.length === 0) return undefined;

  const r: Resolver = { env, referenced: new Set(), missing: new Set() };
  scanRefs(r, merged);
  // References seen so far belong to the whole profile; reset "missing" tracking to report it once at the end.
  const summary: SettingsSummary = { profile, files: read, databases: [], missingEnv: [], referencedEnv: [] };

  const core = isTable(merged.core) ? merged.core : {};
  const coreDbs = isTable(core.databases)
    ? core.databases
    : isTable(merged.databases)
      ? merged.databases
      : {};
  if (isTable(merged.database)) summary.databases.push(readDatabase(r, 'default', merged.database));
  for (const [alias, block] of Object.entries(coreDbs)) {
    if (!isTable(block) || summary.databases.some((d) => d.alias === alias)) continue;
    summary.databases.push(readDatabase(r, alias, block));
  }
  summary.databases.sort((a, b) => (a.alias === 'default' ? -1 : b.alias === 'default' ? 1 : 0));

  const cache = isTable(merged.cache) ? merged.cache : undefined;
  const cacheBackend = cache && str(r, cache.backend).value;
  if (cacheBackend) summary.cacheBackend = cacheBackend.toLowerCase();
  const session = isTable(merged.session) ? merged.session : undefined;
  const sessionEngine = session && str(r, session.engine).value;
  if (sessionEngine) summary.sessionEngine = sessionEngine.toLowerCase();
  const storage = isTable(merged.storage) ? merged.storage : undefined;
  const storageBackend = storage && str(r, storage.backend).value?.toLowerCase();
  if (storage && storageBackend) {
    summary.storageBackend = storageBackend;
    const sub = storage[storageBackend];
    const bucket = isTable(sub) ? str(r, sub.bucket ?? sub.container).value : undefined;
    if (bucket) summary.storageBucket = bucket;
  }
  const email = isTable(merged.email) ? merged.email : undefined;
  if (email) {
    const backend = str(r, email.backend).value;
    if (backend) summary.emailBackend = backend.toLowerCase();
    const host = str(r, email.host).value;
    if (host) summary.emailHost = host;
    const port = int(r, email.port);
    if (port !== undefined) summary.emailPort = port;
  }
  const worker = isTable(merged.tasks_worker) ? merged.tasks_worker : undefined;
  const concurrency = worker ? int(r, worker.concurrency) : undefined;
  if (concurrency !== undefined && concurrency > 0) summary.workerConcurrency = concurrency;
  if (isTable(merged.tasks_rabbitmq)) summary.taskBroker = 'rabbitmq';
  else if (isTable(merged.tasks_sqs)) summary.taskBroker = 'sqs';

  const debug = core.debug ?? merged.debug;
  if (typeof debug === 'boolean') summary.debug = debug;
  const security = isTable(core.security)
    ? core.security
    : isTable(merged.security)
      ? merged.security
      : undefined;
  if (security) {
    const hsts = int(r, security.secure_hsts_seconds);
    summary.security = {
      ssl_redirect: security.secure_ssl_redirect === true,
      session_cookie_secure: security.session_cookie_secure === true,
      csrf_cookie_secure: security.csrf_cookie_secure === true,
      hsts_enabled: hsts !== undefined && hsts > 0,
    };
  }

  summary.referencedEnv = [...r.referenced].sort();
  summary.missingEnv = [...r.missing].sort();
  return summary;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? msg).replace(/^Invalid TOML document:\s*/, '');
}
