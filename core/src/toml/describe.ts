// Walks the zod TOML schema so the editor (hover, completion) and the analyzer (unknown keys) read the same
// source of truth. Only the zod 4 schema kinds used by ../toml/schema are handled.
import * as z from 'zod';
import { tomlConfigSchema } from './schema';

export type TomlValueType = 'string' | 'integer' | 'float' | 'boolean' | 'table' | 'map' | 'array';

export interface TomlKeyDescription {
  /** The key's name (last path segment); `''` for the document root. */
  key: string;
  description: string;
  type: TomlValueType;
  /** For arrays: the item type (`table` for `[[array.of.tables]]`). */
  itemType?: TomlValueType;
  required: boolean;
  /** Default applied when the key is absent (by parsing, or by the operator at run time). */
  default?: unknown;
  /** The canonical values, as completion and messages offer them. */
  enum?: string[];
  /** Other spellings that are accepted too (`postgres` for `postgresql`, the CRD's `Cpu`), never suggested. */
  aliases?: string[];
  enumDescriptions?: Record<string, string>;
  /** The Project field this key maps to (`spec.services.tls.secret_name`); `null` for TOML-only keys. */
  crdPath?: string | null;
  example?: string;
  /** Keys of a table (empty for scalars and maps). */
  children: TomlKeyDescription[];
}

type AnySchema = z.ZodType;
type Def = {
  type: string;
  innerType?: AnySchema;
  defaultValue?: unknown;
  element?: AnySchema;
  valueType?: AnySchema;
  entries?: Record<string, string>;
  shape?: Record<string, AnySchema>;
  checks?: unknown[];
  in?: AnySchema;
};

const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

interface Unwrapped {
  core: AnySchema;
  optional: boolean;
  defaultValue?: unknown;
  hasDefault: boolean;
  meta: Record<string, unknown>;
}

/** Strip optional/default wrappers, merging `.meta()` found on every layer (outer wins). */
export function unwrap(schema: AnySchema): Unwrapped {
  let s = schema;
  let optional = false;
  let hasDefault = false;
  let defaultValue: unknown;
  const metas: Record<string, unknown>[] = [];
  for (;;) {
    const m = z.globalRegistry.get(s);
    if (m) metas.push(m as Record<string, unknown>);
    const def = defOf(s);
    if (def.type === 'optional' || def.type === 'nullable') {
      optional = true;
      s = def.innerType!;
    } else if (def.type === 'default' || def.type === 'prefault') {
      optional = true;
      if (!hasDefault) {
        hasDefault = true;
        defaultValue =
          typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      }
      s = def.innerType!;
    } else if (def.type === 'pipe') {
      s = def.in!;
    } else break;
  }
  const meta: Record<string, unknown> = {};
  for (const m of metas.reverse()) Object.assign(meta, m);
  return { core: s, optional, defaultValue, hasDefault, meta };
}

export function schemaKind(core: AnySchema): string {
  return defOf(core).type;
}

/** Object keys of a table schema (in declaration order), or undefined when not a fixed-key table. */
export function tableShape(core: AnySchema): Record<string, AnySchema> | undefined {
  const def = defOf(core);
  return def.type === 'object' ? def.shape : undefined;
}

/** The schema one level down: a table key, a map value, or an array item (numeric or `[]` segment). */
export function childSchema(schema: AnySchema, segment: string | number): AnySchema | undefined {
  const { core } = unwrap(schema);
  const def = defOf(core);
  if (def.type === 'object') return typeof segment === 'string' ? def.shape?.[segment] : undefined;
  if (def.type === 'record') return def.valueType;
  if (def.type === 'array') return def.element;
  return undefined;
}

function valueType(core: AnySchema): TomlValueType {
  const def = defOf(core);
  switch (def.type) {
    case 'object':
      return 'table';
    case 'record':
      return 'map';
    case 'array':
      return 'array';
    case 'boolean':
      return 'boolean';
    case 'number': {
      const checks = (def.checks ?? []) as Array<{ _zod?: { def?: { format?: string } } }>;
      return checks.some((c) => c._zod?.def?.format === 'safeint' || c._zod?.def?.format?.includes('int'))
        ? 'integer'
        : 'float';
    }
    default:
      return 'string';
  }
}

function describeSchema(key: string, schema: AnySchema, depth: number): TomlKeyDescription {
  const { core, optional, hasDefault, defaultValue, meta } = unwrap(schema);
  const def = defOf(core);
  const type = valueType(core);
  const out: TomlKeyDescription = {
    key,
    description: typeof meta.description === 'string' ? meta.description : '',
    type,
    required: !optional,
    children: [],
  };
  if (hasDefault) out.default = defaultValue;
  else if (meta.runtimeDefault !== undefined) out.default = meta.runtimeDefault;
  if (def.type === 'enum' && def.entries) {
    const aliases = Array.isArray(meta.aliases) ? (meta.aliases as string[]) : [];
    out.enum = Object.values(def.entries).filter((v) => !aliases.includes(v));
    if (aliases.length) out.aliases = aliases;
  }
  if (meta.enumDescriptions) out.enumDescriptions = meta.enumDescriptions as Record<string, string>;
  if (meta.crdPath !== undefined) out.crdPath = meta.crdPath as string | null;
  if (typeof meta.example === 'string') out.example = meta.example;
  if (type === 'array' && def.element) {
    const item = unwrap(def.element);
    out.itemType = valueType(item.core);
    const itemDef = defOf(item.core);
    if (itemDef.type === 'enum' && itemDef.entries) out.enum = Object.values(itemDef.entries);
    if (out.itemType === 'table' && depth > 0) {
      out.children = Object.entries(tableShape(item.core) ?? {}).map(([k, s]) =>
        describeSchema(k, s, depth - 1),
      );
    }
  }
  if (type === 'table' && depth > 0) {
    out.children = Object.entries(def.shape ?? {}).map(([k, s]) => describeSchema(k, s, depth - 1));
  }
  return out;
}

/**
 * Describe a key or table of `reinhardt-cloud.toml` for hover and completion.
 * `path` is the key path: `[]` = the document, `['services', 'tls']`, `['infrastructure', 'buckets', 'name']`
 * (array items may be addressed with a numeric index, `'[]'`, or skipped). Returns undefined for unknown keys.
 * `children` lists the keys of a table (with their own docs, one level deep).
 */
export function describeTomlPath(path: readonly (string | number)[]): TomlKeyDescription | undefined {
  let schema: AnySchema = tomlConfigSchema;
  for (const raw of path) {
    const { core } = unwrap(schema);
    const isIndex = typeof raw === 'number' || raw === '[]' || /^\d+$/.test(raw);
    if (schemaKind(core) === 'array') {
      const element = childSchema(core, 0)!;
      if (isIndex) {
        schema = element;
        continue;
      }
      schema = element; // skipped index: `buckets.name` means an item's `name`
    } else if (isIndex) return undefined;
    const next = childSchema(schema, raw);
    if (!next) return undefined;
    schema = next;
  }
  const last = path.length === 0 ? '' : String(path[path.length - 1]);
  return describeSchema(last, schema, 2);
}
