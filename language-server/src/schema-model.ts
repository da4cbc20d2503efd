// The editor's view of the reinhardt-cloud.toml schema: a tree of tables and keys with the docs, type,
// defaults, allowed values and CRD mapping that completion, hover and code actions show. It is derived
// once, lazily, from core's `describeTomlPath` (which reads the zod schema and its `.meta()` docs), so the
// server holds no second copy of any rule or description.

export type NodeKind =
  | 'table'
  | 'array-of-tables'
  | 'map'
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'array'
  | 'unknown';

export interface SchemaNode {
  /** Dotted TOML path, array items as `[]`: `infrastructure.buckets[].name`. */
  path: string;
  name: string;
  kind: NodeKind;
  description?: string;
  required: boolean;
  /** Value a missing key takes (when parsed, or applied by the operator at run time). */
  default?: unknown;
  /** Allowed values of a string (or of the items of a string array). */
  enumValues?: string[];
  enumDescriptions?: Record<string, string>;
  /** Project spec field the key maps to; `null` when the key is TOML only. */
  crdPath?: string | null;
  example?: string;
  /** Keys of a table (or of each item of an array of tables). */
  children?: Map<string, SchemaNode>;
  /** Item type of an array, value type of a map. */
  item?: SchemaNode;
}

/** The shape of core's `describeTomlPath` answer that the model reads. */
export interface KeyDescription {
  key: string;
  description: string;
  type: 'string' | 'integer' | 'float' | 'boolean' | 'table' | 'map' | 'array';
  itemType?: KeyDescription['type'];
  required: boolean;
  default?: unknown;
  enum?: string[];
  enumDescriptions?: Record<string, string>;
  crdPath?: string | null;
  example?: string;
  children: KeyDescription[];
}

export type DescribePath = (path: readonly string[]) => KeyDescription | undefined;

function kindOf(type: KeyDescription['type'], itemType?: KeyDescription['type']): NodeKind {
  if (type === 'array') return itemType === 'table' ? 'array-of-tables' : 'array';
  if (type === 'float') return 'number';
  return type;
}

function toNode(
  d: KeyDescription,
  path: string[],
  describe: DescribePath,
  fetchChildren: boolean,
): SchemaNode {
  const dotted = path.join('.');
  const kind = kindOf(d.type, d.itemType);
  const node: SchemaNode = { name: d.key, path: dotted, kind, required: d.required };
  if (d.description) node.description = d.description;
  if (d.default !== undefined) node.default = d.default;
  if (d.enum?.length) node.enumValues = d.enum;
  if (d.enumDescriptions) node.enumDescriptions = d.enumDescriptions;
  if (d.crdPath !== undefined) node.crdPath = d.crdPath;
  if (d.example) node.example = d.example;
  if (kind === 'array' && d.itemType) {
    const item: SchemaNode = { name: '[]', path: `${dotted}[]`, kind: kindOf(d.itemType), required: true };
    if (d.enum?.length) item.enumValues = d.enum;
    if (d.enumDescriptions) item.enumDescriptions = d.enumDescriptions;
    node.item = item;
  }
  if (kind === 'map') node.item = { name: '*', path: `${dotted}.*`, kind: 'string', required: false };
  if (kind === 'table' || kind === 'array-of-tables') {
    // `describeTomlPath` answers a fixed depth; ask again at each table so the whole tree is known.
    const full = fetchChildren ? (describe(path) ?? d) : d;
    node.children = new Map(full.children.map((c) => [c.key, toNode(c, [...path, c.key], describe, true)]));
  }
  return node;
}

export class SchemaModel {
  readonly root: SchemaNode;
  /** Every table (and array of tables) by dotted path, in schema order: the header completions. */
  readonly tables: SchemaNode[] = [];

  constructor(describe: DescribePath) {
    const root = describe([]);
    if (!root) throw new Error('the TOML schema has no root description');
    this.root = toNode(root, [], describe, false);
    const visit = (node: SchemaNode) => {
      for (const child of node.children?.values() ?? []) {
        if (child.kind === 'table' || child.kind === 'array-of-tables' || child.kind === 'map')
          this.tables.push(child);
        if (child.kind === 'table' || child.kind === 'array-of-tables') visit(child);
      }
    };
    visit(this.root);
  }

  /** The node at a TOML path (segments; array indices are not part of the path). Map entries resolve to the value type. */
  lookup(segments: readonly string[]): SchemaNode | undefined {
    let node: SchemaNode | undefined = this.root;
    for (const segment of segments) {
      if (!node) return undefined;
      if (node.kind === 'map') node = node.item;
      else node = node.children?.get(segment);
    }
    return node;
  }
}

/** A markdown block describing a key: what hover shows and what each completion item carries. */
export function describeNode(node: SchemaNode): string {
  const parts: string[] = [];
  const title = node.path.replace(/\[\]/g, '[]');
  parts.push(
    `**${title || 'reinhardt-cloud.toml'}**: \`${typeLabel(node)}\`${node.required ? ' (required)' : ''}`,
  );
  if (node.description) parts.push(node.description);
  const facts: string[] = [];
  const hasDefault =
    node.default !== undefined &&
    !(typeof node.default === 'object' && node.default !== null && !Array.isArray(node.default)) &&
    !(Array.isArray(node.default) && node.default.length === 0);
  if (hasDefault) facts.push(`Default: \`${formatTomlValue(node.default)}\``);
  if (node.enumValues?.length) {
    facts.push(
      `Allowed values: ${node.enumValues
        .map((v) => {
          const doc = node.enumDescriptions?.[v];
          return doc ? `\`"${v}"\` (${doc})` : `\`"${v}"\``;
        })
        .join(', ')}`,
    );
  }
  if (node.crdPath !== undefined) {
    facts.push(
      node.crdPath === null ? 'Project CRD: not mapped (TOML only)' : `Project CRD: \`${node.crdPath}\``,
    );
  }
  if (facts.length) parts.push(facts.map((f) => `- ${f}`).join('\n'));
  if (node.example) parts.push(`Example:\n\n\`\`\`toml\n${node.example}\n\`\`\``);
  return parts.join('\n\n');
}

export function typeLabel(node: SchemaNode): string {
  switch (node.kind) {
    case 'table':
      return 'table';
    case 'array-of-tables':
      return 'array of tables';
    case 'map':
      return `table of ${node.item ? typeLabel(node.item) : 'values'}`;
    case 'array':
      return `array of ${node.item ? typeLabel(node.item) : 'values'}`;
    case 'string':
      return node.enumValues?.length ? node.enumValues.map((v) => `"${v}"`).join(' | ') : 'string';
    default:
      return node.kind;
  }
}

export function formatTomlValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatTomlValue).join(', ')}]`;
  return String(value);
}
