// Completion: table names in headers, the keys a table may still take, enum values inside quotes,
// booleans, and snippets that insert a whole table with its usual keys. Every item carries the key's docs.

import {
  type CompletionItem,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type Position,
  type Range,
} from 'vscode-languageserver';
import { type CursorContext, cursorContext } from './cursor';
import type { ScannedDocument, ScannedTable } from './scan';
import { describeNode, type SchemaModel, type SchemaNode, typeLabel } from './schema-model';

const docs = (node: SchemaNode) => ({ kind: MarkupKind.Markdown, value: describeNode(node) });

/** Escapes `$`, `}` and `\` for snippet text. */
const snippetText = (text: string) => text.replace(/[$}\\]/g, (c) => `\\${c}`);

/** A value snippet with tab stop `n`, seeded with the default when there is one. */
function valueSnippet(node: SchemaNode, n: number): string {
  const seed = node.default;
  switch (node.kind) {
    case 'string':
      if (node.enumValues?.length) {
        const values =
          typeof seed === 'string' ? [seed, ...node.enumValues.filter((v) => v !== seed)] : node.enumValues;
        return `"\${${n}|${values.map((v) => v.replace(/[,|\\]/g, (c) => `\\${c}`)).join(',')}|}"`;
      }
      return typeof seed === 'string' ? `"\${${n}:${snippetText(seed)}}"` : `"\${${n}}"`;
    case 'boolean':
      return seed === true ? `\${${n}|true,false|}` : `\${${n}|false,true|}`;
    case 'integer':
    case 'number':
      return `\${${n}:${typeof seed === 'number' ? seed : 1}}`;
    case 'array':
      return node.enumValues?.length ? `["\${${n}|${node.enumValues.join(',')}|}"]` : `[\${${n}}]`;
    case 'map':
      return `{ \${${n}} }`;
    default:
      return `\${${n}}`;
  }
}

/** Keys already written in a table, by their first segment after `typed`. */
function presentKeys(
  table: ScannedTable,
  typed: string[],
  context: CursorContext & { kind: 'key' },
  doc: ScannedDocument,
): Set<string> {
  const present = new Set<string>();
  for (const key of table.keys) {
    if (key === context.current || key.equalsCharacter < 0) continue;
    if (typed.every((segment, i) => key.segments[i] === segment)) {
      const name = key.segments[typed.length];
      if (name !== undefined) present.add(name);
    }
  }
  // Sub-tables written as their own header count as present too: `[services.tls]` hides `tls`.
  const base = [...table.path, ...typed];
  for (const other of doc.tables) {
    if (
      other.kind === 'table' &&
      other.path.length === base.length + 1 &&
      base.every((s, i) => other.path[i] === s)
    ) {
      const name = other.path[base.length];
      if (name !== undefined) present.add(name);
    }
  }
  return present;
}

function keyItems(
  doc: ScannedDocument,
  schema: SchemaModel,
  context: CursorContext & { kind: 'key' },
): CompletionItem[] {
  const base = [...context.table.path, ...context.typed];
  const node = schema.lookup(base);
  const items: CompletionItem[] = [];
  if (node && (node.kind === 'table' || node.kind === 'array-of-tables') && node.children) {
    const present = presentKeys(context.table, context.typed, context, doc);
    for (const child of node.children.values()) {
      if (present.has(child.name)) continue;
      if (child.kind === 'table' || child.kind === 'array-of-tables') {
        // A dotted key into a sub-table (`tls.enabled = true`); headers come from the snippets.
        items.push({
          label: child.name,
          kind: CompletionItemKind.Module,
          detail: typeLabel(child),
          documentation: docs(child),
          sortText: `2${child.name}`,
          textEdit: { range: context.replace, newText: child.name },
          command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
          insertTextFormat: InsertTextFormat.PlainText,
        });
        continue;
      }
      const hasEquals = context.current !== undefined && context.current.equalsCharacter >= 0;
      items.push({
        label: child.name,
        kind: child.enumValues?.length ? CompletionItemKind.Enum : CompletionItemKind.Property,
        detail: typeLabel(child) + (child.required ? ' (required)' : ''),
        documentation: docs(child),
        sortText: `${child.required ? 0 : 1}${child.name}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: {
          range: context.replace,
          newText: hasEquals ? child.name : `${child.name} = ${valueSnippet(child, 1)}`,
        },
      });
    }
  }
  if (context.lineIsEmpty) items.push(...tableSnippets(doc, schema, context.replace));
  return items;
}

/** `[database]` + its usual keys; offered on an empty line for every table not yet in the file. */
function tableSnippets(doc: ScannedDocument, schema: SchemaModel, replace: Range): CompletionItem[] {
  const existing = new Set(doc.tables.filter((t) => t.kind === 'table').map((t) => t.path.join('.')));
  const items: CompletionItem[] = [];
  for (const table of schema.tables) {
    if (table.kind !== 'array-of-tables' && existing.has(table.path)) continue;
    const header = table.kind === 'array-of-tables' ? `[[${table.path}]]` : `[${table.path}]`;
    const lines = [header];
    let stop = 1;
    for (const key of usualKeys(table)) lines.push(`${key.name} = ${valueSnippet(key, stop++)}`);
    items.push({
      label: header,
      kind: CompletionItemKind.Snippet,
      detail: `Insert ${header}${lines.length > 1 ? ` with ${lines.length - 1} key${lines.length > 2 ? 's' : ''}` : ''}`,
      documentation: docs(table),
      filterText: table.path,
      sortText: `3${table.path}`,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: replace, newText: `${lines.join('\n')}\n$0` },
    });
  }
  return items;
}

/** The keys a fresh table usually gets: the required ones, then scalars with a default, at most four. */
function usualKeys(table: SchemaNode): SchemaNode[] {
  const scalars = [...(table.children?.values() ?? [])].filter(
    (c) => c.kind === 'string' || c.kind === 'integer' || c.kind === 'number' || c.kind === 'boolean',
  );
  const required = scalars.filter((c) => c.required);
  const withDefault = scalars.filter((c) => !c.required && c.default !== undefined);
  const rest = scalars.length <= 4 ? scalars.filter((c) => !c.required && !withDefault.includes(c)) : [];
  const chosen = [...required, ...withDefault, ...rest].slice(0, 4);
  return scalars.filter((c) => chosen.includes(c));
}

function headerItems(
  doc: ScannedDocument,
  schema: SchemaModel,
  context: CursorContext & { kind: 'header' },
): CompletionItem[] {
  const line = context.replace.start.line;
  const existing = new Set(
    doc.tables
      .filter((t) => t.kind === 'table' && t.headerRange?.start.line !== line)
      .map((t) => t.path.join('.')),
  );
  const items: CompletionItem[] = [];
  for (const table of schema.tables) {
    if (context.isArray !== (table.kind === 'array-of-tables')) continue;
    if (!context.isArray && existing.has(table.path)) continue;
    const close = context.hasClose ? '' : context.isArray ? ']]' : ']';
    items.push({
      label: table.path,
      kind: CompletionItemKind.Module,
      detail: typeLabel(table),
      documentation: docs(table),
      sortText: table.path,
      textEdit: { range: context.replace, newText: table.path + close },
    });
  }
  return items;
}

function valueItems(schema: SchemaModel, context: CursorContext & { kind: 'value' }): CompletionItem[] {
  let node = schema.lookup([...context.table.path, ...context.key.segments]);
  if (!node) return [];
  if (node.kind === 'array' && context.inArray && node.item)
    node = { ...node.item, description: node.description, path: node.path };
  const items: CompletionItem[] = [];
  const documentation = docs(node);
  if (node.enumValues?.length && node.kind !== 'array') {
    node.enumValues.forEach((value, i) => {
      const detail = node.enumDescriptions?.[value];
      items.push({
        label: value,
        kind: CompletionItemKind.EnumMember,
        ...(detail ? { detail } : {}),
        documentation,
        sortText: String(i).padStart(3, '0'),
        textEdit: { range: context.replace, newText: context.inString ? value : `"${value}"` },
      });
    });
  } else if (node.kind === 'boolean' && !context.inString) {
    for (const value of ['true', 'false']) {
      items.push({
        label: value,
        kind: CompletionItemKind.Value,
        detail: node.default !== undefined && String(node.default) === value ? 'default' : 'boolean',
        documentation,
        textEdit: { range: context.replace, newText: value },
      });
    }
  }
  return items;
}

export function completionItems(
  doc: ScannedDocument,
  schema: SchemaModel,
  position: Position,
): CompletionItem[] {
  const context = cursorContext(doc, position);
  switch (context.kind) {
    case 'header':
      return headerItems(doc, schema, context);
    case 'key':
      return keyItems(doc, schema, context);
    case 'value':
      return valueItems(schema, context);
    default:
      return [];
  }
}
