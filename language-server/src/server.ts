// Entry point of the Reinhardt Cloud language server. Transport comes from the command line as
// vscode-languageserver reads it: `--stdio` (Neovim, Helix, Zed, `reinhardt-cloud-lsp --stdio`),
// `--node-ipc` (the VS Code extension) or `--socket=<port>`.
//
// Hot path: a `didChange` updates the text incrementally, then one validation runs on the next turn of
// the event loop, so a burst of changes that arrive together is validated once, for the latest version.

import type { Diagnostic } from '@reinhardt-cloud/core';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  DiagnosticTag,
  type InitializeResult,
  type Diagnostic as LspDiagnostic,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './code-actions';
import { completionItems } from './completion';
import { schemaModel } from './core-bridge';
import { DocumentCache } from './documents';
import { formattingEdits } from './formatting';
import { hoverAt } from './hover';
import { previewObjects, previewProject } from './preview';
import { CONFIG_FILE_NAME, previewObjectsRequest, previewProjectRequest } from './protocol';
import { documentSymbols, foldingRanges } from './symbols';

if (process.argv.includes('--version')) {
  process.stdout.write('reinhardt-cloud-lsp 0.1.0\n');
  process.exit(0);
}
if (process.argv.includes('--help') || process.argv.length <= 2) {
  process.stdout.write(
    'Usage: reinhardt-cloud-lsp --stdio | --node-ipc | --socket=<port>\n\nLanguage server for reinhardt-cloud.toml.\n',
  );
  process.exit(process.argv.includes('--help') ? 0 : 2);
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new DocumentCache();

/** The server answers for `reinhardt-cloud.toml` only; other TOML files an editor sends are left alone. */
const isServed = (uri: string) => decodeURIComponent(uri).endsWith(`/${CONFIG_FILE_NAME}`);

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

function toLsp(d: Diagnostic): LspDiagnostic {
  const lsp: LspDiagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'reinhardt-cloud',
    message: d.message,
  };
  if (d.code === 'tls-cluster-issuer-forbidden') lsp.tags = [DiagnosticTag.Deprecated];
  return lsp;
}

connection.onInitialize(
  (): InitializeResult => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ['[', '.', '"', '=', ' '], resolveProvider: false },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
    },
    serverInfo: { name: 'reinhardt-cloud-lsp', version: '0.1.0' },
  }),
);

const pending = new Set<string>();

function validate(uri: string): void {
  pending.delete(uri);
  const document = documents.get(uri);
  if (!document) return;
  let diagnostics: LspDiagnostic[];
  const state = cache.get(document);
  // The editor's next request (completion, hover) usually follows at once: scan first so it finds the
  // scan ready instead of waiting behind it (a few ms on a 5,000-line file, well within the diagnostics budget).
  state.scan();
  try {
    diagnostics = state.analysis().diagnostics.map(toLsp);
  } catch (error) {
    // core promises not to throw; if it ever does, say so in the file instead of going silent.
    diagnostics = [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        source: 'reinhardt-cloud',
        code: 'internal-error',
        message: `reinhardt-cloud-lsp could not analyze this file: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
}

documents.onDidChangeContent(({ document }) => {
  if (!isServed(document.uri) || pending.has(document.uri)) return;
  pending.add(document.uri);
  setImmediate(validate, document.uri);
});

documents.onDidClose(({ document }) => {
  pending.delete(document.uri);
  cache.delete(document.uri);
  if (isServed(document.uri)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

/** The cached state of a served, open document. */
function stateOf(uri: string) {
  if (!isServed(uri)) return undefined;
  const document = documents.get(uri);
  return document ? { document, state: cache.get(document) } : undefined;
}

connection.onCompletion(({ textDocument, position }) => {
  const open = stateOf(textDocument.uri);
  return open ? completionItems(open.state.scan(), schemaModel(), position) : null;
});

connection.onHover(({ textDocument, position }) => {
  const open = stateOf(textDocument.uri);
  return open ? hoverAt(open.state.scan(), schemaModel(), position) : null;
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const open = stateOf(textDocument.uri);
  if (!open) return null;
  return codeActions(textDocument.uri, open.state.analysis().diagnostics, range, context.diagnostics);
});

connection.onDocumentSymbol(({ textDocument }) => {
  const open = stateOf(textDocument.uri);
  return open ? documentSymbols(open.state.scan()) : null;
});

connection.onFoldingRanges(({ textDocument }) => {
  const open = stateOf(textDocument.uri);
  return open ? foldingRanges(open.state.scan()) : null;
});

connection.onDocumentFormatting(({ textDocument }) => {
  const open = stateOf(textDocument.uri);
  return open ? formattingEdits(open.state.text, open.document.lineCount) : null;
});

connection.onRequest(previewProjectRequest, ({ textDocument, overrides }) => {
  const open = stateOf(textDocument.uri);
  if (!open) throw new Error(`${textDocument.uri} is not an open ${CONFIG_FILE_NAME}`);
  return previewProject(open.state, overrides);
});

connection.onRequest(previewObjectsRequest, ({ textDocument, overrides, platform }) => {
  const open = stateOf(textDocument.uri);
  if (!open) throw new Error(`${textDocument.uri} is not an open ${CONFIG_FILE_NAME}`);
  return previewObjects(open.state, overrides, platform);
});

documents.listen(connection);
connection.listen();
