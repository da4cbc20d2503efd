// Completion, hover, code actions, symbols, folding and formatting over a real stdio session.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  MarkupContent,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { applyEdits, LspClient, type Position, positionOf } from './lsp-client';

let client: LspClient;
let n = 0;
const uri = () => `file:///work/features-${++n}/reinhardt-cloud.toml`;

beforeAll(async () => {
  client = new LspClient();
  await client.initialize();
});
afterAll(async () => {
  await client.shutdown();
});

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const doc = (item: CompletionItem | undefined) =>
  (item?.documentation as MarkupContent | undefined)?.value ?? '';
/** The text after applying a completion item's edit. */
const accept = (text: string, item: CompletionItem | undefined) => {
  if (!item?.textEdit || !('range' in item.textEdit))
    throw new Error(`no textEdit on ${JSON.stringify(item)}`);
  return applyEdits(text, [item.textEdit as TextEdit]);
};

async function complete(text: string, at: Position): Promise<CompletionItem[]> {
  const u = uri();
  await client.open(u, text);
  return client.completion(u, at);
}

describe('completion', () => {
  test('table names in a header, skipping tables already present', async () => {
    const text = '[app]\nname = "a"\nimage = "b"\n\n[se';
    const items = await complete(text, { line: 4, character: 3 });
    expect(labels(items)).toContain('services');
    expect(labels(items)).toContain('services.tls');
    expect(labels(items)).toContain('source.webhook');
    expect(labels(items)).not.toContain('app');
    expect(labels(items)).not.toContain('infrastructure.dns'); // array of tables: only in [[...]]
    const services = items.find((i) => i.label === 'services');
    expect(accept(text, services)).toBe('[app]\nname = "a"\nimage = "b"\n\n[services]');
    expect(doc(services)).toContain('spec.services');
  });

  test('array-of-tables names inside [[', async () => {
    const items = await complete('[app]\nname = "a"\nimage = "b"\n[[infra', { line: 3, character: 7 });
    expect(labels(items).sort()).toEqual([
      'infrastructure.buckets',
      'infrastructure.dns',
      'infrastructure.secrets',
    ]);
  });

  test('keys valid in the current table, without the ones already written', async () => {
    const text = '[app]\nname = "a"\nimage = "b"\n\n[services]\nport = 80\n\n';
    const items = await complete(text, { line: 6, character: 0 });
    const keys = items.filter((i) => i.kind !== 15 /* Snippet */).map((i) => i.label);
    expect(keys).toEqual(expect.arrayContaining(['target_port', 'ingress_host', 'tls']));
    expect(keys).not.toContain('port');
    expect(keys).not.toContain('name');
    const target = items.find((i) => i.label === 'target_port');
    expect(doc(target)).toContain('Container port');
    expect(doc(target)).toContain('`spec.services.target_port`');
    expect(target?.detail).toBe('integer');
    expect(accept(text, target)).toContain(`target_port = \${1:8000}`);
  });

  test('a half-typed key completes with its value snippet', async () => {
    const text = '[app]\nname = "a"\nimage = "b"\n[database]\neng';
    const items = await complete(text, { line: 4, character: 3 });
    const engine = items.find((i) => i.label === 'engine');
    expect(engine?.detail).toContain('required');
    expect(accept(text, engine)).toBe(`${text.slice(0, -3)}engine = "\${1|postgresql,mysql,sqlite|}"`);
  });

  test('enum values inside the quotes of a value', async () => {
    const text = '[app]\nname = "a"\nimage = "b"\n[scale]\nmetric = "me"\n';
    const at = positionOf(text, '"me"', 3);
    const items = await complete(text, at);
    expect(labels(items)).toEqual(['cpu', 'memory', 'rps']);
    const memory = items.find((i) => i.label === 'memory');
    expect(memory?.detail).toContain('Average memory');
    expect(accept(text, memory)).toContain('metric = "memory"\n');
  });

  test('enum values of a string array (webhook events)', async () => {
    const text = '[app]\nname = "a"\nimage = "b"\n[source.webhook]\nevents = ["push", ""]\n';
    const items = await complete(text, positionOf(text, '""]', 1));
    expect(labels(items)).toEqual(['push', 'pull_request', 'tag']);
  });

  test('booleans after =', async () => {
    const text = '[app]\nname = "a"\nimage = "b"\n[auth]\njwt = \n';
    const items = await complete(text, { line: 4, character: 6 });
    expect(labels(items)).toEqual(['true', 'false']);
    expect(items.find((i) => i.label === 'false')?.detail).toBe('default');
  });

  test('table snippets with their usual keys on an empty line', async () => {
    const text = '[app]\nname = "a"\nimage = "b"\n\nsca';
    const items = await complete(text, { line: 4, character: 3 });
    const scale = items.find((i) => i.label === '[scale]');
    expect(scale?.kind).toBe(15);
    expect(accept(text, scale)).toContain(
      `[scale]\nmin_replicas = \${1:1}\nmax_replicas = \${2:1}\nmetric = "\${3|cpu,memory`,
    );
    expect(labels(items)).not.toContain('[app]');
    expect(labels(items)).toContain('[[infrastructure.buckets]]');
  });
});

describe('hover', () => {
  const text = '[app]\nname = "a"\nimage = "b"\n[services.tls]\nenabled = true\n[scale]\nmetric = "rps"\n';
  test('a key: description, type, default, CRD field', async () => {
    const u = uri();
    await client.open(u, text);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: u },
      position: positionOf(text, 'enabled', 2),
    });
    const value = (hover.contents as MarkupContent).value;
    expect(value).toContain('**services.tls.enabled**: `boolean`');
    expect(value).toContain('Terminate TLS at the Ingress');
    expect(value).toContain('Default: `false`');
    expect(value).toContain('Project CRD: `spec.services.tls.enabled`');
    expect(hover.range).toEqual({ start: { line: 4, character: 0 }, end: { line: 4, character: 7 } });
  });

  test('an enum value: its own doc and the allowed values', async () => {
    const u = uri();
    await client.open(u, text);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: u },
      position: positionOf(text, '"rps"', 2),
    });
    const value = (hover.contents as MarkupContent).value;
    expect(value).toMatch(/^`"rps"`: Requests per second/);
    expect(value).toContain('Allowed values: `"cpu"`');
  });

  test('a table header', async () => {
    const u = uri();
    await client.open(u, text);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: u },
      position: { line: 3, character: 5 },
    });
    expect((hover.contents as MarkupContent).value).toContain('Ingress TLS');
  });
});

async function actionsAt(u: string, diagnostics: Diagnostic[], range: Diagnostic['range']) {
  return client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: u },
    range,
    context: { diagnostics },
  });
}

/** Applies the named action, sends the result as a change and returns the new diagnostics. */
async function applyAction(u: string, action: CodeAction | undefined): Promise<Diagnostic[]> {
  const edits = action?.edit?.changes?.[u];
  if (!edits) throw new Error(`no edit in ${JSON.stringify(action)}`);
  const before = client.text(u);
  const after = applyEdits(before, edits);
  const lines = before.split('\n');
  return client.change(
    u,
    {
      start: { line: 0, character: 0 },
      end: { line: lines.length - 1, character: lines.at(-1)?.length ?? 0 },
    },
    after,
  );
}

describe('code actions', () => {
  test('did-you-mean key: the fix renames the key and the warning goes away', async () => {
    const u = uri();
    const diagnostics = await client.open(
      u,
      '[app]\nname = "a"\nimage = "b"\n[services]\ningress_hots = "x.example.com"\n',
    );
    const warning = diagnostics.find((d) => d.code === 'unknown-key');
    expect(warning).toBeDefined();
    const actions = await actionsAt(u, diagnostics, warning!.range);
    const rename = actions.find((a) => a.title === 'Rename to `ingress_host`');
    expect(rename?.isPreferred).toBe(true);
    expect(rename?.diagnostics?.[0]?.code).toBe('unknown-key');
    expect(await applyAction(u, rename)).toEqual([]);
    expect(client.text(u)).toContain('ingress_host = "x.example.com"');
  });

  test('did-you-mean enum value', async () => {
    const u = uri();
    const diagnostics = await client.open(u, '[app]\nname = "a"\nimage = "b"\n[database]\nengine = "mysq"\n');
    const error = diagnostics.find((d) => d.code === 'invalid-enum-value');
    const actions = await actionsAt(u, diagnostics, error!.range);
    expect(
      await applyAction(
        u,
        actions.find((a) => a.title === 'Replace with "mysql"'),
      ),
    ).toEqual([]);
  });

  test('add the missing required key', async () => {
    const u = uri();
    const diagnostics = await client.open(u, '[app]\nname = "a"\n\n[source]\nbranch = "main"\n');
    const missing = diagnostics.filter((d) => d.code === 'missing-required-key');
    expect(missing.map((d) => d.range.start.line).sort()).toEqual([0, 3]);
    const appActions = await actionsAt(u, diagnostics, missing.find((d) => d.range.start.line === 0)!.range);
    const afterApp = await applyAction(
      u,
      appActions.find((a) => a.title === 'Add the missing required key `image` to [app]'),
    );
    // The edit moved [source] down a line: ask with the diagnostics the server published after it.
    const sourceMissing = afterApp.find((d) => d.code === 'missing-required-key');
    expect(sourceMissing?.range.start.line).toBe(4);
    const sourceActions = await actionsAt(u, afterApp, sourceMissing!.range);
    const after = await applyAction(
      u,
      sourceActions.find((a) => a.title === 'Add the missing required key `repository` to [source]'),
    );
    expect(client.text(u)).toBe(
      '[app]\nname = "a"\nimage = ""\n\n[source]\nbranch = "main"\nrepository = ""\n',
    );
    // The file now has every required key; what remains are the rules about empty values.
    expect(after.filter((d) => d.code === 'missing-required-key')).toEqual([]);
  });

  test('remove cluster_issuer, use issuer', async () => {
    const u = uri();
    const diagnostics = await client.open(
      u,
      '[app]\nname = "a"\nimage = "b"\n[services]\ningress_host = "a.example.com"\n[services.tls]\nenabled = true\nsecret_name = "tls"\ncluster_issuer = "letsencrypt"\n',
    );
    const error = diagnostics.find((d) => d.code === 'tls-cluster-issuer-forbidden');
    expect(error).toBeDefined();
    const actions = await actionsAt(u, diagnostics, error!.range);
    const fix = actions.find((a) => a.title === 'Remove cluster_issuer, use issuer');
    expect(await applyAction(u, fix)).toEqual([]);
    expect(client.text(u)).toContain('\nissuer = "letsencrypt"\n');
  });
});

describe('structure', () => {
  const text =
    '# project\n# file\n[app]\nname = "a"\nimage = "b"\n\n[services]\nport = 80\n[[infrastructure.dns]]\nhost = "a"\ntype = "A"\n[[infrastructure.dns]]\nhost = "b"\ntype = "TXT"\n[worker]\ncommand = [\n  "manage",\n  "run_worker",\n]\n';
  test('document symbols: tables with their keys', async () => {
    const u = uri();
    await client.open(u, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: u },
    });
    expect(symbols.map((s) => s.name)).toEqual([
      'app',
      'services',
      'infrastructure.dns[0]',
      'infrastructure.dns[1]',
      'worker',
    ]);
    expect(symbols[0]?.children?.map((c) => c.name)).toEqual(['name', 'image']);
    expect(symbols[0]?.range).toEqual({ start: { line: 2, character: 0 }, end: { line: 4, character: 11 } });
  });

  test('folding ranges: comments, tables and multi-line arrays', async () => {
    const u = uri();
    await client.open(u, text);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', {
      textDocument: { uri: u },
    });
    expect(ranges.map((r) => [r.startLine, r.endLine])).toEqual([
      [0, 1],
      [2, 4],
      [6, 7],
      [8, 10],
      [11, 13],
      [14, 18],
      [15, 18],
    ]);
  });

  test('formatting matches `taplo fmt` and keeps comments', async () => {
    const messy =
      '# header comment\n\n\n\n   [app]\nname="shop"   # the name\nimage   =    "shop:1"  # image\n  [ services ]\nport=80\n[source.webhook]\nevents = [ "push","tag" ]\n\n[worker]\ncommand = [\n    "manage",   # entry\n  "run_worker"\n]\n[env]\nA = { x = 1 }\n';
    const u = uri();
    await client.open(u, messy);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri: u },
      options: { tabSize: 2, insertSpaces: true },
    });
    const formatted = applyEdits(messy, edits);
    const taplo = fileURLToPath(new URL('../../node_modules/.bin/taplo', import.meta.url));
    const expected = execFileSync(taplo, ['fmt', '-'], {
      input: messy,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    expect(formatted).toBe(expected);
    expect(formatted).toContain('# the name');
    // Formatting a formatted file changes nothing.
    const u2 = uri();
    await client.open(u2, formatted);
    expect(
      await client.request('textDocument/formatting', {
        textDocument: { uri: u2 },
        options: { tabSize: 2, insertSpaces: true },
      }),
    ).toEqual([]);
  });

  test('formatting leaves a file with syntax errors untouched', async () => {
    const u = uri();
    await client.open(u, '[app]\nname = "a\n');
    expect(
      await client.request('textDocument/formatting', {
        textDocument: { uri: u },
        options: { tabSize: 2, insertSpaces: true },
      }),
    ).toEqual([]);
  });
});
