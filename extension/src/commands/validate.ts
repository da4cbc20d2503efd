// Validate: make sure the server has checked every reinhardt-cloud.toml in the workspace (opening a
// document is what makes the client send it), then summarize and reveal the Problems view.
import * as vscode from 'vscode';
import type { Context } from '../context';
import { CONFIG_FILE_NAME } from '../files';

const DIAGNOSTICS_TIMEOUT_MS = 10_000;

export async function validate(
  ctx: Context,
  uri?: vscode.Uri,
): Promise<{ errors: number; warnings: number }> {
  const files =
    uri instanceof vscode.Uri
      ? [uri]
      : await vscode.workspace.findFiles(`**/${CONFIG_FILE_NAME}`, '**/{node_modules,target}/**', 50);
  if (files.length === 0) {
    void vscode.window.showWarningMessage(
      `No ${CONFIG_FILE_NAME} in this workspace. Run "Reinhardt Cloud: Init" to create one.`,
    );
    return { errors: 0, warnings: 0 };
  }
  const client = await ctx.client();
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const published = diagnosticsPublished(file);
    await vscode.workspace.openTextDocument(file);
    // Already-open documents were validated on open and after each edit; only wait for new ones.
    const diagnostics = client.diagnostics?.has(file)
      ? (client.diagnostics.get(file) ?? [])
      : await published.then(() => client.diagnostics?.get(file) ?? []);
    published.cancel();
    errors += diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    warnings += diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
  }
  const where = files.length === 1 ? vscode.workspace.asRelativePath(files[0]!) : `${files.length} files`;
  if (errors === 0 && warnings === 0) {
    void vscode.window.showInformationMessage(`${where}: valid.`);
  } else {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const summary = `${where}: ${errors} error(s), ${warnings} warning(s). See the Problems view.`;
    void (errors > 0 ? vscode.window.showErrorMessage(summary) : vscode.window.showWarningMessage(summary));
  }
  return { errors, warnings };
}

/** Resolves on the next diagnostics publish for `uri`, or after a timeout. */
function diagnosticsPublished(uri: vscode.Uri): Promise<void> & { cancel(): void } {
  let subscription: vscode.Disposable | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    subscription?.dispose();
    if (timer) clearTimeout(timer);
  };
  const promise = new Promise<void>((resolve) => {
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) {
        cancel();
        resolve();
      }
    });
    timer = setTimeout(() => {
      cancel();
      resolve();
    }, DIAGNOSTICS_TIMEOUT_MS);
  });
  return Object.assign(promise, { cancel });
}
