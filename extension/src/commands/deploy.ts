// Deploy. The command is target-agnostic: build the Project from the editor's text through the language
// server, refuse if it has errors, then hand it to a DeployTarget. Only the dry-run target exists until
// the control plane lands; it then gains a target picker and opens the status and logs panels.
import * as vscode from 'vscode';
import type { Context } from '../context';
import { DryRunTarget } from '../deploy/dry-run';
import type { DeployOutcome, DeployTarget } from '../deploy/target';
import { CONFIG_FILE_NAME } from '../files';
import { requestProjectPreview } from '../protocol';

export const CONTROL_PLANE_NOTE =
  'Live deploys, deployment status and log panels arrive with the Reinhardt Cloud control plane.';

export async function deploy(ctx: Context, uri?: vscode.Uri): Promise<DeployOutcome | undefined> {
  const source = uri instanceof vscode.Uri ? uri : await ctx.targetConfigFile();
  if (!source) {
    void vscode.window.showErrorMessage(
      `No ${CONFIG_FILE_NAME} to deploy. Run "Reinhardt Cloud: Init" first.`,
    );
    return undefined;
  }
  await vscode.workspace.openTextDocument(source);
  const preview = await requestProjectPreview(await ctx.client(), source);
  const errors = preview.diagnostics.filter((d) => d.severity === 'error');
  if (!preview.project || !preview.yaml || errors.length > 0) {
    const first = errors[0];
    const where = first ? ` First: line ${first.range.start.line + 1}: ${first.message}` : '';
    // Not awaited: the message stays until dismissed, and the command's result must not wait for that.
    void vscode.window
      .showErrorMessage(
        `Cannot deploy: ${CONFIG_FILE_NAME} has ${errors.length} error(s).${where}`,
        'Show Problems',
      )
      .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return undefined;
  }
  const target: DeployTarget = new DryRunTarget(ctx.output);
  const request = { source, project: preview.project, yaml: preview.yaml };
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Reinhardt Cloud: deploy', cancellable: true },
    (progress, token) => target.deploy(request, progress, token),
  );
  if (outcome.kind === 'dry-run') {
    void vscode.window
      .showInformationMessage(
        `Dry run: ${outcome.summary} is valid; nothing was applied. ${CONTROL_PLANE_NOTE}`,
        'Show Manifest',
      )
      .then((choice) => choice && ctx.previews.open('project', source));
  }
  return outcome;
}
