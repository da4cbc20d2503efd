// `manage introspect` output (framework schema, reinhardt-projects.md §6.4), parsed defensively: the
// project's own logging may precede the document on stdout, and the framework writes `"none"` for absent
// database/cache signals, which must not be read as a value.
import { parse as parseYaml } from 'yaml';
import type { IntrospectInput } from './types';

export interface IntrospectData {
  /** The whole parsed document, kept for `spec.introspect`. */
  document: Record<string, unknown>;
  app?: { name: string; version: string };
  databases: { alias: string; engine: string; tables: number }[];
  routes: { path: string; methods: string[]; name: string | null }[];
  signals: {
    database?: string;
    cache?: string;
    websocket: boolean;
    backgroundWorker: boolean;
    grpc: boolean;
    storage?: string;
    mail?: string;
    sessionBackend?: string;
    graphql: boolean;
    adminPanel: boolean;
    i18n: boolean;
  };
  debug?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `"none"`, `""` and `null` all mean "absent" in the framework's signals. */
function present(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  return s === '' || s === 'none' || s === 'null' || s === 'unknown' ? undefined : s;
}

export type IntrospectParse = { ok: true; data: IntrospectData } | { ok: false; error: string };

export function parseIntrospect(input: IntrospectInput): IntrospectParse {
  if ('error' in input) return { ok: false, error: input.error };
  let doc: unknown;
  try {
    if (input.format === 'json') {
      const start = input.stdout.indexOf('{');
      const end = input.stdout.lastIndexOf('}');
      if (start < 0 || end < start) return { ok: false, error: 'no JSON object in the output' };
      doc = JSON.parse(input.stdout.slice(start, end + 1));
    } else {
      doc = parseYaml(input.stdout);
    }
  } catch (e) {
    return {
      ok: false,
      error: `cannot parse ${input.format}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    };
  }
  if (!isObj(doc)) return { ok: false, error: 'the output is not an object' };
  if (!isObj(doc.features) || !Array.isArray(doc.databases)) {
    return {
      ok: false,
      error: 'the output lacks the `features` / `databases` sections of manage introspect',
    };
  }
  const features = doc.features;
  const s = isObj(features.infrastructure_signals) ? features.infrastructure_signals : {};
  const data: IntrospectData = {
    document: doc,
    databases: doc.databases.filter(isObj).map((d) => ({
      alias: String(d.alias ?? ''),
      engine: String(d.engine ?? ''),
      tables: Array.isArray(d.tables) ? d.tables.length : 0,
    })),
    routes: (Array.isArray(doc.routes) ? doc.routes : []).filter(isObj).map((r) => ({
      path: String(r.path ?? ''),
      methods: Array.isArray(r.methods) ? r.methods.map(String) : [],
      name: typeof r.name === 'string' ? r.name : null,
    })),
    signals: {
      websocket: s.websocket === true,
      backgroundWorker: s.background_worker === true,
      grpc: s.grpc === true,
      graphql: s.graphql === true,
      adminPanel: s.admin_panel === true,
      i18n: s.i18n === true,
    },
  };
  const optional = {
    database: present(s.database),
    cache: present(s.cache),
    storage: present(s.storage),
    mail: present(s.mail),
    sessionBackend: present(s.session_backend),
  };
  for (const [k, v] of Object.entries(optional)) if (v) (data.signals as Record<string, unknown>)[k] = v;
  if (isObj(doc.app) && typeof doc.app.name === 'string') {
    data.app = { name: doc.app.name, version: String(doc.app.version ?? '') };
  }
  const server = isObj(doc.settings) && isObj(doc.settings.server) ? doc.settings.server : undefined;
  if (server && typeof server.debug === 'boolean') data.debug = server.debug;
  return { ok: true, data };
}

/** A health route from the route list (`healthz`, `health`, `ready`, `live`), preferring GET-only routes. */
export function healthRoute(data: IntrospectData): string | undefined {
  const candidates = data.routes.filter((r) => {
    const text = `${r.path} ${r.name ?? ''}`.toLowerCase();
    return /healthz|health|ready|live/.test(text) && !/[{<]/.test(r.path);
  });
  const rank = (r: IntrospectData['routes'][number]) =>
    (r.methods.length === 1 && r.methods[0] === 'GET' ? 0 : r.methods.length === 0 ? 1 : 2) +
    (/healthz/.test(r.path) ? 0 : 0.5);
  return candidates.sort((a, b) => rank(a) - rank(b))[0]?.path;
}
