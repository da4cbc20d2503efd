// Read-only, live YAML previews of a reinhardt-cloud.toml, served as virtual documents under the
// `reinhardt-preview:` scheme. The language server renders them (so the preview always agrees with
// the diagnostics); this provider only routes requests and refreshes open previews after edits.
import * as vscode from 'vscode';
import { isConfigDocument } from '../files';

export const PREVIEW_SCHEME = 'reinhardt-preview';

export type PreviewKind = 'project' | 'objects';

/** Renders one preview of the source document's current text; returns the YAML to show. */
export type PreviewRenderer = (kind: PreviewKind, source: vscode.Uri) => Promise<string>;

const KIND_SUFFIX: Record<PreviewKind, string> = {
  project: 'project.yaml',
  objects: 'objects.yaml',
};

/** `reinhardt-preview:/<dir>/reinhardt-cloud.project.yaml?<source uri>`; the `.yaml` gives YAML highlighting. */
export function previewUri(kind: PreviewKind, source: vscode.Uri): vscode.Uri {
  const dir = source.path.slice(0, source.path.lastIndexOf('/'));
  return vscode.Uri.from({
    scheme: PREVIEW_SCHEME,
    path: `${dir}/reinhardt-cloud.${KIND_SUFFIX[kind]}`,
    query: source.toString(),
  });
}

export function parsePreviewUri(uri: vscode.Uri): { kind: PreviewKind; source: vscode.Uri } | undefined {
  if (uri.scheme !== PREVIEW_SCHEME || uri.query === '') return undefined;
  const kind = (Object.keys(KIND_SUFFIX) as PreviewKind[]).find((k) => uri.path.endsWith(KIND_SUFFIX[k]));
  return kind ? { kind, source: vscode.Uri.parse(uri.query, true) } : undefined;
}

export class PreviewContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly pendingRefresh = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly render: PreviewRenderer,
    private readonly refreshDelayMs: () => number,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isConfigDocument(event.document) && event.contentChanges.length > 0) {
          this.scheduleRefresh(event.document.uri);
        }
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (isConfigDocument(document)) this.scheduleRefresh(document.uri);
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const parsed = parsePreviewUri(uri);
    if (!parsed) return `# Not a Reinhardt Cloud preview: ${uri.toString()}\n`;
    try {
      return await this.render(parsed.kind, parsed.source);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return `# The preview could not be rendered: ${message}\n# Source: ${parsed.source.fsPath}\n`;
    }
  }

  /** Open (or reveal) the preview beside the source editor, keeping focus in the source. */
  async open(kind: PreviewKind, source: vscode.Uri): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(previewUri(kind, source));
    if (document.languageId !== 'yaml') await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    return vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: false,
    });
  }

  /** Re-renders every open preview of `kind` now (a setting it depends on changed). */
  refreshAll(kind: PreviewKind): void {
    for (const document of vscode.workspace.textDocuments) {
      if (parsePreviewUri(document.uri)?.kind === kind) this.changed.fire(document.uri);
    }
  }

  private scheduleRefresh(source: vscode.Uri): void {
    const key = source.toString();
    const previous = this.pendingRefresh.get(key);
    if (previous) clearTimeout(previous);
    this.pendingRefresh.set(
      key,
      setTimeout(() => {
        this.pendingRefresh.delete(key);
        for (const document of vscode.workspace.textDocuments) {
          const parsed = parsePreviewUri(document.uri);
          if (parsed && parsed.source.toString() === key) this.changed.fire(document.uri);
        }
      }, this.refreshDelayMs()),
    );
  }

  dispose(): void {
    for (const timer of this.pendingRefresh.values()) clearTimeout(timer);
    this.pendingRefresh.clear();
    for (const d of this.disposables) d.dispose();
  }
}
