// Cargo manifest analysis: which crate is deployable, its identity, and the framework dependency's features.
// Every dependency table is searched (not just the first hit), so a pages project's native target table is
// seen even though the wasm32 one comes first in the file.
import { parse, TomlError } from 'smol-toml';
import type { DetectDiagnostic, ProjectFiles } from './types';
import { fileDiagnostic, fileIn, joinPath, locatedDiagnostic } from './util';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

export const FACADE = 'reinhardt-web';
const PACKAGE_NAME = /^[A-Za-z0-9_-]+$/;
/** How far up `workspace = true` resolution looks for the workspace root. */
const MAX_WALK_UP = 6;

export interface Manifest {
  dir: string;
  data: Table;
}

export interface CrateAnalysis {
  crateDir: string;
  workspaceRoot?: string;
  name: string;
  version: string;
  versionNote?: string;
  declaredFeatures: string[];
  wasmFeatures: string[];
  defaultFeatures: boolean;
  frameworkRequirement?: string;
  subcrateFeatures: Record<string, string[]>;
  binaries: { name: string; crate: string }[];
  /** Workspace members (other than the deployable crate) that depend on `reinhardt-tasks`. */
  taskMembers: string[];
  chosenBecause?: string;
}

export function hasPath(files: ProjectFiles, rel: string): boolean {
  if (files.exists) return files.exists(rel);
  if (files.read(rel) !== undefined) return true;
  try {
    return (files.list?.(rel) ?? []).length > 0;
  } catch {
    return false;
  }
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? msg).replace(/^Invalid TOML document:\s*/, '');
}

/** Reads and parses `<dir>/Cargo.toml`; a syntax error becomes a located diagnostic. */
export function loadManifest(
  files: ProjectFiles,
  dir: string,
  diagnostics: DetectDiagnostic[],
  severity: 'error' | 'warning',
): Manifest | undefined {
  const rel = fileIn(dir, 'Cargo.toml');
  const text = files.read(rel);
  if (text === undefined) return undefined;
  try {
    return { dir, data: parse(text) as Table };
  } catch (e) {
    const line = e instanceof TomlError ? e.line : 1;
    const column = e instanceof TomlError ? e.column : 1;
    diagnostics.push(
      locatedDiagnostic(
        severity,
        'cargo-parse-error',
        rel,
        line,
        column,
        `Failed to parse ${rel}: ${firstLine(e)}. Fix the manifest (\`cargo metadata\` shows the same error) and run again.`,
      ),
    );
    return undefined;
  }
}

function findWorkspaceRoot(files: ProjectFiles, dir: string, self: Manifest): Manifest | undefined {
  if (isTable(self.data.workspace)) return self;
  for (let up = 1; up <= MAX_WALK_UP; up++) {
    const candidate = joinPath(dir, ...Array(up).fill('..'));
    const text = files.read(fileIn(candidate, 'Cargo.toml'));
    if (text === undefined) continue;
    try {
      const data = parse(text) as Table;
      if (isTable(data.workspace)) return { dir: candidate, data };
    } catch {
      // An unparsable ancestor is not our workspace; keep walking.
    }
  }
  return undefined;
}

function memberDirs(files: ProjectFiles, root: Manifest): string[] {
  const ws = root.data.workspace as Table;
  const members = Array.isArray(ws.members)
    ? ws.members.filter((m): m is string => typeof m === 'string')
    : [];
  const out: string[] = [];
  for (const m of members) {
    if (m.endsWith('/*')) {
      const parent = joinPath(root.dir, m.slice(0, -2));
      for (const entry of files.list?.(parent) ?? []) out.push(joinPath(parent, entry));
    } else out.push(joinPath(root.dir, m));
  }
  return out;
}

function binNames(files: ProjectFiles, m: Manifest): string[] {
  const names = new Set<string>();
  const bins = Array.isArray(m.data.bin) ? m.data.bin : [];
  for (const b of bins) if (isTable(b) && typeof b.name === 'string') names.add(b.name);
  if (hasPath(files, fileIn(m.dir, 'src/bin/manage.rs'))) names.add('manage');
  const pkg = isTable(m.data.package) ? m.data.package : undefined;
  if (pkg && typeof pkg.name === 'string' && hasPath(files, fileIn(m.dir, 'src/main.rs')))
    names.add(pkg.name);
  return [...names];
}

interface FrameworkEntry {
  crate: string;
  features: string[];
  defaultFeatures: boolean;
  version?: string;
  wasm: boolean;
}

/** `cfg(target_arch = "wasm32")` (but not `cfg(not(target_arch = "wasm32"))`) is a browser-only table. */
function isWasmCfg(cfg: string): boolean {
  const compact = cfg.replace(/\s+/g, '');
  return compact.includes('target_arch="wasm32"') && !compact.includes('not(target_arch="wasm32")');
}

function dependencyTables(m: Manifest): { table: Table; wasm: boolean }[] {
  const out: { table: Table; wasm: boolean }[] = [];
  if (isTable(m.data.dependencies)) out.push({ table: m.data.dependencies, wasm: false });
  if (isTable(m.data.target)) {
    for (const [cfg, t] of Object.entries(m.data.target)) {
      if (isTable(t) && isTable(t.dependencies)) out.push({ table: t.dependencies, wasm: isWasmCfg(cfg) });
    }
  }
  return out;
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Resolves one dependency entry (following `workspace = true`) to its crate name, features and version. */
function resolveEntry(
  key: string,
  value: unknown,
  root: Manifest | undefined,
  wasm: boolean,
): FrameworkEntry | undefined {
  if (typeof value === 'string')
    return { crate: key, features: [], defaultFeatures: true, version: value, wasm };
  if (!isTable(value)) return undefined;
  let base: Table = value;
  if (value.workspace === true) {
    const inherited = isTable(root?.data.workspace) ? (root.data.workspace as Table).dependencies : undefined;
    const rootEntry = isTable(inherited) ? inherited[key] : undefined;
    if (rootEntry === undefined) return undefined;
    base = typeof rootEntry === 'string' ? { version: rootEntry } : isTable(rootEntry) ? rootEntry : {};
  }
  const crate = typeof base.package === 'string' ? base.package : key;
  // Cargo adds member-level `features` to the inherited ones.
  const features = [...stringArray(base.features), ...(base === value ? [] : stringArray(value.features))];
  const defaultFeatures = base['default-features'] !== false && base.default_features !== false;
  return {
    crate,
    features,
    defaultFeatures,
    ...(typeof base.version === 'string' ? { version: base.version } : {}),
    wasm,
  };
}

function frameworkEntries(m: Manifest, root: Manifest | undefined): FrameworkEntry[] {
  const out: FrameworkEntry[] = [];
  for (const { table, wasm } of dependencyTables(m)) {
    for (const [key, value] of Object.entries(table)) {
      const entry = resolveEntry(key, value, root, wasm);
      if (entry && (entry.crate === FACADE || entry.crate.startsWith('reinhardt-'))) out.push(entry);
    }
  }
  // A root package that declares the framework only in its own [workspace.dependencies].
  if (m === root && !out.some((e) => e.crate === FACADE)) {
    const wsDeps = (m.data.workspace as Table).dependencies;
    if (isTable(wsDeps)) {
      for (const [key, value] of Object.entries(wsDeps)) {
        const entry = resolveEntry(key, value, undefined, false);
        if (entry?.crate === FACADE) out.push(entry);
      }
    }
  }
  return out;
}

export type CargoResult = { ok: true; crate: CrateAnalysis } | { ok: false };

export function analyzeCargo(files: ProjectFiles, diagnostics: DetectDiagnostic[]): CargoResult {
  const top = loadManifest(files, '.', diagnostics, 'error');
  if (!top) {
    if (!diagnostics.some((d) => d.code === 'cargo-parse-error')) {
      diagnostics.push(
        fileDiagnostic(
          'error',
          'cargo-missing',
          'Failed to read Cargo.toml: no Cargo.toml in the project directory. Run the command in a Reinhardt project (or pass --dir).',
          'Cargo.toml',
        ),
      );
    }
    return { ok: false };
  }
  let crate: Manifest = top;
  let chosenBecause: string | undefined;
  if (!isTable(top.data.package)) {
    if (!isTable(top.data.workspace)) {
      diagnostics.push(
        fileDiagnostic('error', 'cargo-no-package', 'Missing [package].name in Cargo.toml', 'Cargo.toml'),
      );
      return { ok: false };
    }
    const candidates: { m: Manifest; manage: boolean; settings: boolean }[] = [];
    for (const dir of memberDirs(files, top)) {
      const m = loadManifest(files, dir, diagnostics, 'warning');
      if (!m || !isTable(m.data.package)) continue;
      const manage = binNames(files, m).includes('manage');
      const settings =
        hasPath(files, fileIn(dir, 'settings/base.toml')) || hasPath(files, fileIn(dir, 'settings'));
      candidates.push({ m, manage, settings });
    }
    const pick = candidates.find((c) => c.manage && c.settings) ?? candidates.find((c) => c.manage);
    if (!pick) {
      diagnostics.push(
        fileDiagnostic(
          'error',
          'cargo-no-package',
          'Missing [package].name in Cargo.toml: this is a virtual workspace and no member has a `manage` binary. Run the command in the deployable crate (--dir <member>).',
          'Cargo.toml',
        ),
      );
      return { ok: false };
    }
    crate = pick.m;
    chosenBecause = `virtual workspace: ${pick.m.dir} is the member with a \`manage\` binary${pick.settings ? ' and a settings/ directory' : ''}`;
  }

  const pkg = crate.data.package as Table;
  const manifestRel = fileIn(crate.dir, 'Cargo.toml');
  if (typeof pkg.name !== 'string' || !PACKAGE_NAME.test(pkg.name)) {
    diagnostics.push(
      fileDiagnostic(
        'error',
        'cargo-invalid-name',
        typeof pkg.name === 'string'
          ? `Invalid [package].name "${pkg.name}" in ${manifestRel}: only letters, digits, '-' and '_' are allowed`
          : `Missing [package].name in ${manifestRel}`,
        manifestRel,
      ),
    );
    return { ok: false };
  }
  const root = findWorkspaceRoot(files, crate.dir, crate);

  let version = '0.1.0';
  let versionNote: string | undefined = 'no [package].version; using 0.1.0';
  if (typeof pkg.version === 'string') {
    version = pkg.version;
    versionNote = undefined;
  } else if (isTable(pkg.version) && pkg.version.workspace === true) {
    const wsPkg = isTable(root?.data.workspace) ? (root.data.workspace as Table).package : undefined;
    if (isTable(wsPkg) && typeof wsPkg.version === 'string') {
      version = wsPkg.version;
      versionNote = `version ${version} inherited from [workspace.package] in ${fileIn(root?.dir ?? '.', 'Cargo.toml')}`;
    } else
      versionNote =
        'version.workspace = true but the workspace root has no [workspace.package].version; using 0.1.0';
  }

  const entries = frameworkEntries(crate, root);
  const facade = entries.filter((e) => e.crate === FACADE);
  if (facade.length === 0) {
    diagnostics.push(
      fileDiagnostic(
        'error',
        'not-reinhardt',
        `Not a reinhardt-web project: no reinhardt-web dependency found in ${manifestRel} (looked in [dependencies], [target.*.dependencies] and [workspace.dependencies], including renamed entries with package = "reinhardt-web")`,
        manifestRel,
      ),
    );
    return { ok: false };
  }
  const native = facade.filter((e) => !e.wasm);
  const declared = [...new Set(native.flatMap((e) => e.features))];
  const wasmFeatures = [...new Set(facade.filter((e) => e.wasm).flatMap((e) => e.features))];
  const subcrateFeatures: Record<string, string[]> = {};
  const addSub = (e: FrameworkEntry) => {
    if (e.crate === FACADE || e.wasm) return;
    // Only explicit features count: a sub-crate's defaults (reinhardt-storages: s3 + local) do not choose a backend.
    subcrateFeatures[e.crate] = [...new Set([...(subcrateFeatures[e.crate] ?? []), ...e.features])];
  };
  for (const e of entries) addSub(e);

  const binaries = binNames(files, crate).map((name) => ({ name, crate: crate.dir }));
  const taskMembers: string[] = [];
  if (root && root.dir !== crate.dir) {
    for (const dir of memberDirs(files, root)) {
      if (dir === crate.dir) continue;
      const m = loadManifest(files, dir, [], 'warning');
      if (!m) continue;
      const memberEntries = frameworkEntries(m, root);
      if (memberEntries.some((e) => e.crate === 'reinhardt-tasks')) taskMembers.push(dir);
      for (const e of memberEntries) addSub(e);
      for (const name of binNames(files, m)) binaries.push({ name, crate: dir });
    }
  }

  const requirement = native.find((e) => e.version)?.version ?? facade.find((e) => e.version)?.version;
  return {
    ok: true,
    crate: {
      crateDir: crate.dir,
      ...(root ? { workspaceRoot: root.dir } : {}),
      name: pkg.name,
      version,
      ...(versionNote ? { versionNote } : {}),
      declaredFeatures: declared,
      wasmFeatures,
      defaultFeatures: native.length > 0 && native.some((e) => e.defaultFeatures),
      ...(requirement ? { frameworkRequirement: requirement } : {}),
      subcrateFeatures,
      binaries,
      taskMembers,
      ...(chosenBecause ? { chosenBecause } : {}),
    },
  };
}

/** Version of `reinhardt-web` in the nearest `Cargo.lock` (crate dir, then workspace root). */
export function lockedFrameworkVersion(files: ProjectFiles, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const text = files.read(fileIn(dir, 'Cargo.lock'));
    if (text === undefined) continue;
    try {
      const lock = parse(text) as Table;
      const pkgs = Array.isArray(lock.package) ? lock.package : [];
      for (const p of pkgs)
        if (isTable(p) && p.name === FACADE && typeof p.version === 'string') return p.version;
    } catch {
      // A broken lock file only costs us the exact version.
    }
    return undefined;
  }
  return undefined;
}
