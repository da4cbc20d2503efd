// Where a deploy goes. Today there is one target, the dry run; the control plane target (submit the
// Project, then follow its status and logs in panels, see ../panels/README.md) plugs in here without
// changing the Deploy command.
import type * as vscode from 'vscode';

export interface DeployRequest {
  /** The reinhardt-cloud.toml being deployed. */
  source: vscode.Uri;
  /** The Project manifest the language server built from the editor's text, exactly as the CLI would. */
  project: Record<string, unknown>;
  yaml: string;
}

export type DeployOutcome =
  /** Nothing left the machine; `summary` says what would have been applied. */
  | { kind: 'dry-run'; summary: string }
  /** The control plane accepted the Project; status and logs are followed by id. */
  | { kind: 'submitted'; deploymentId: string; projectName: string };

export interface DeployTarget {
  readonly id: string;
  readonly label: string;
  deploy(
    request: DeployRequest,
    progress: vscode.Progress<{ message?: string }>,
    token: vscode.CancellationToken,
  ): Promise<DeployOutcome>;
}
