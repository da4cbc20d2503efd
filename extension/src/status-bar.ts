// One status bar item that says whether the reinhardt-cloud.toml in the active editor is valid,
// computed from the diagnostics our language server published (not other extensions').
import * as vscode from 'vscode';
import { isConfigDocument } from './files';

export type ServerState = 'starting' | 'ready' | 'failed';

export type DiagnosticsLookup = (uri: vscode.Uri) => readonly vscode.Diagnostic[] | undefined;

export class ValidityStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private enabled = true;
  private serverState: ServerState = 'starting';

  constructor(private readonly lookup: DiagnosticsLookup) {
    this.item = vscode.window.createStatusBarItem(
      'reinhardtCloud.validity',
      vscode.StatusBarAlignment.Left,
      10,
    );
    this.item.name = 'Reinhardt Cloud: reinhardt-cloud.toml validity';
    this.item.command = 'workbench.actions.view.problems';
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.refresh();
  }

  setServerState(state: ServerState): void {
    this.serverState = state;
    this.refresh();
  }

  refresh(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!this.enabled || !document || !isConfigDocument(document)) {
      this.item.hide();
      return;
    }
    if (this.serverState === 'starting') {
      this.show('$(sync~spin) reinhardt-cloud.toml', 'Starting the Reinhardt Cloud language server…');
      return;
    }
    if (this.serverState === 'failed') {
      this.show(
        '$(circle-slash) reinhardt-cloud.toml not checked',
        'The language server failed; see the "Reinhardt Cloud" output',
      );
      this.item.command = 'reinhardtCloud.restartServer';
      return;
    }
    this.item.command = 'workbench.actions.view.problems';
    const diagnostics = this.lookup(document.uri) ?? [];
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    if (errors > 0) {
      this.show(
        `$(error) reinhardt-cloud.toml: ${plural(errors, 'error')}`,
        'Click to open the Problems view',
      );
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (warnings > 0) {
      this.show(`$(warning) reinhardt-cloud.toml: ${plural(warnings, 'warning')}`, 'Valid, with warnings');
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.show('$(check) reinhardt-cloud.toml valid', 'reinhardt-cloud.toml is valid');
    }
  }

  private show(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
