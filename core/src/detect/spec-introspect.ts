// The `manage introspect` document deploy embeds as `spec.introspect`: the real output when there was one,
// with the framework's known mismatches corrected, or else a document synthesized from static analysis (the
// zero-config fallback). Corrections (introspect-mapping.md §7): `"none"` signals removed, database and
// cache signals from the reconciled detection (settings beat the token heuristics), a `pages` flag the
// framework never sets, `session_backend` spelled `database`, no `storage: "local"`, and settings-derived
// `debug`/security flags for framework versions whose introspect cannot read the `[core]` layout.
import type { Detection } from './types';

export interface IntrospectDocument {
  app: { name: string; version: string };
  databases: { alias: string; engine: string; tables: { name: string; app: string }[] }[];
  routes: { path: string; methods: string[]; name?: string; namespace?: string }[];
  middleware: { name: string; type_name: string }[];
  settings: {
    server: { default_port: number; debug: boolean };
    security: {
      ssl_redirect: boolean;
      session_cookie_secure: boolean;
      csrf_cookie_secure: boolean;
      hsts_enabled: boolean;
    };
  };
  features: {
    declared: string[];
    resolved: string[];
    infrastructure_signals: {
      database?: string;
      cache?: string;
      websocket: boolean;
      background_worker: boolean;
      grpc: boolean;
      storage?: string;
      mail?: string;
      session_backend?: string;
      graphql: boolean;
      admin_panel: boolean;
      i18n: boolean;
      pages: boolean;
    };
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function legacyIntrospect(version: string | undefined): boolean {
  if (!version) return false;
  const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  return major === 0 && (minor < 3 || (minor === 3 && patch < 7));
}

/** `undefined` when detection failed (no package). */
export function introspectDocument(detection: Detection): IntrospectDocument | undefined {
  if (!detection.packageName) return undefined;
  const raw = detection.introspect.document;
  const s = detection.signals;
  const settings = detection.settings;
  const settingsEngine = (alias: string) => {
    const db = settings?.databases.find((d) => d.alias === alias);
    return db?.engine === 'cockroachdb' ? 'postgresql' : (db?.engine ?? db?.engineRaw);
  };

  const databases: IntrospectDocument['databases'] = raw
    ? arr(raw.databases)
        .filter(isObj)
        .map((d) => {
          const alias = String(d.alias ?? '');
          const engine = String(d.engine ?? '');
          return {
            alias,
            engine: engine === '' || engine === 'unknown' ? (settingsEngine(alias) ?? engine) : engine,
            tables: arr(d.tables)
              .filter(isObj)
              .map((t) => ({ name: String(t.name ?? ''), app: String(t.app ?? '') })),
          };
        })
    : (settings?.databases ?? [])
        .filter((d) => d.engineRaw)
        .map((d) => ({ alias: d.alias, engine: settingsEngine(d.alias) ?? '', tables: [] }));

  const routes: IntrospectDocument['routes'] = arr(raw?.routes)
    .filter(isObj)
    .map((r) => ({
      path: String(r.path ?? ''),
      methods: arr(r.methods).map(String),
      ...(typeof r.name === 'string' ? { name: r.name } : {}),
      ...(typeof r.namespace === 'string' ? { namespace: r.namespace } : {}),
    }));
  const middleware = arr(raw?.middleware)
    .filter(isObj)
    .map((m) => ({ name: String(m.name ?? ''), type_name: String(m.type_name ?? '') }));

  const rawSettings = isObj(raw?.settings) ? raw.settings : undefined;
  const rawServer = isObj(rawSettings?.server) ? rawSettings.server : undefined;
  const rawSecurity = isObj(rawSettings?.security) ? rawSettings.security : undefined;
  const useSettingsFiles = !raw || legacyIntrospect(detection.frameworkVersion);
  const security = useSettingsFiles
    ? (settings?.security ?? {
        ssl_redirect: false,
        session_cookie_secure: false,
        csrf_cookie_secure: false,
        hsts_enabled: false,
      })
    : {
        ssl_redirect: rawSecurity?.ssl_redirect === true,
        session_cookie_secure: rawSecurity?.session_cookie_secure === true,
        csrf_cookie_secure: rawSecurity?.csrf_cookie_secure === true,
        hsts_enabled: rawSecurity?.hsts_enabled === true,
      };
  const debug = useSettingsFiles ? (settings?.debug ?? false) : rawServer?.debug === true;

  const rawFeatures = isObj(raw?.features) ? raw.features : undefined;
  const managedDb =
    s.database && s.database !== 'cockroachdb' && !s.databaseExternal ? s.database : undefined;
  const storage = s.storage === 's3' || s.storage === 'gcs' ? s.storage : undefined;
  const session =
    s.sessions === 'redis' || s.sessions === 'database' || s.sessions === 'file' ? s.sessions : undefined;
  return {
    app: { name: detection.packageName, version: detection.packageVersion ?? '0.1.0' },
    databases,
    routes,
    middleware,
    settings: { server: { default_port: 8000, debug }, security },
    features: {
      declared: rawFeatures ? arr(rawFeatures.declared).map(String) : [...detection.declaredFeatures],
      resolved: [...detection.resolvedFeatures],
      infrastructure_signals: {
        ...(managedDb ? { database: managedDb } : {}),
        ...(s.cache === 'redis' ? { cache: 'redis' } : {}),
        websocket: s.websockets,
        background_worker: s.worker,
        grpc: s.grpc,
        ...(storage ? { storage } : {}),
        ...(s.mail ? { mail: s.mail } : {}),
        ...(session ? { session_backend: session } : {}),
        graphql: s.graphql,
        admin_panel: s.admin,
        i18n: s.i18n,
        pages: s.pages,
      },
    },
  };
}
