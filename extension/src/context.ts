// The one object that owns everything the extension creates: the language client, the status bar,
// the preview provider, the output channel and every disposable. Commands receive it; deactivate()
// disposes it, which stops the server.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { affectsServer, CONFIG_SECTION, readSettings, type Settings } from './config';
import { CONFIG_FILE_NAME, isConfigDocument } from './files';
import { PREVIEW_SCHEME, PreviewContentProvider, type PreviewKind } from './preview/provider';
import { requestPreview } from './protocol';
import { ValidityStatusBar } from './status-bar';

export class Context implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly statusBar: ValidityStatusBar;
  readonly previews: PreviewContentProvider;
  private settingsCache: Settings;
  private clientInstance: LanguageClient | undefined;
  private clientStarting: Promise<LanguageClient> | undefined;
  private readonly configFileWatcher: vscode.FileSystemWatcher;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.settingsCache = readSettings();
    this.output = this.track(vscode.window.createOutputChannel('Reinhardt Cloud', { log: true }));
    this.configFileWatcher = this.track(vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`));
    this.statusBar = this.track(new ValidityStatusBar((uri) => this.clientInstance?.diagnostics?.get(uri)));
    this.statusBar.setEnabled(this.settingsCache.statusBarEnabled);
    this.previews = this.track(
      new PreviewContentProvider(
        (kind, source) => this.renderPreview(kind, source),
        () => this.settingsCache.previewRefreshDelayMs,
      ),
    );
    this.track(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this.previews));
    this.track(vscode.window.onDidChangeActiveTextEditor(() => this.statusBar.refresh()));
    this.track(
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && event.uris.some((uri) => uri.toString() === active)) this.statusBar.refresh();
      }),
    );
    this.track(vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)));
  }

  get settings(): Settings {
    return this.settingsCache;
  }

  /** The running client, starting the server on first use. */
  client(): Promise<LanguageClient> {
    if (this.clientInstance?.isRunning()) return Promise.resolve(this.clientInstance);
    this.clientStarting ??= this.startClient().finally(() => {
      this.clientStarting = undefined;
    });
    return this.clientStarting;
  }

  async restartServer(): Promise<void> {
    await this.stopClient();
    await this.client();
  }

  /** The reinhardt-cloud.toml the user most likely means: the active editor's, else the only one in the workspace. */
  async targetConfigFile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    if (active && isConfigDocument(active)) return active.uri;
    const found = await vscode.workspace.findFiles(
      `**/${CONFIG_FILE_NAME}`,
      '**/{node_modules,target}/**',
      20,
    );
    if (found.length <= 1) return found[0];
    const picked = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: `Which ${CONFIG_FILE_NAME}?` },
    );
    return picked?.uri;
  }

  async renderPreview(kind: PreviewKind, source: vscode.Uri): Promise<string> {
    // Opening the document makes the client send didOpen, so the server renders the editor's text.
    await vscode.workspace.openTextDocument(source);
    return requestPreview(await this.client(), kind, source, this.settingsCache.previewPlatform);
  }

  track<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  private async startClient(): Promise<LanguageClient> {
    const client = createClient(this.settingsCache, {
      extensionPath: this.extension.extensionPath,
      outputChannel: this.output,
      configFileWatcher: this.configFileWatcher,
      validationEnabled: () => this.settingsCache.validationEnabled,
    });
    this.clientInstance = client;
    this.statusBar.setServerState('starting');
    try {
      await client.start();
    } catch (error) {
      this.output.error(`The language server failed to start: ${String(error)}`);
      this.statusBar.setServerState('failed');
      throw error;
    }
    this.statusBar.setServerState('ready');
    return client;
  }

  private async stopClient(): Promise<void> {
    const client = this.clientInstance;
    this.clientInstance = undefined;
    if (client) await client.dispose(2000);
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(CONFIG_SECTION)) return;
    this.settingsCache = readSettings();
    this.statusBar.setEnabled(this.settingsCache.statusBarEnabled);
    if (event.affectsConfiguration(`${CONFIG_SECTION}.preview.platform`)) this.previews.refreshAll('objects');
    if (affectsServer(event)) {
      void this.restartServer().catch((error) => this.output.error(`Restart failed: ${String(error)}`));
    }
  }

  async dispose(): Promise<void> {
    await this.stopClient();
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    this.disposables.length = 0;
  }
}
