// The dry-run target: validates and shows the manifest that would be applied; nothing is sent anywhere.
import type * as vscode from 'vscode';
import type { DeployOutcome, DeployRequest, DeployTarget } from './target';

export class DryRunTarget implements DeployTarget {
  readonly id = 'dry-run';
  readonly label = 'Dry run (nothing is applied)';

  constructor(private readonly output: vscode.LogOutputChannel) {}

  async deploy(
    request: DeployRequest,
    progress: vscode.Progress<{ message?: string }>,
  ): Promise<DeployOutcome> {
    progress.report({ message: 'building the Project manifest' });
    const metadata = (request.project.metadata ?? {}) as { name?: string; namespace?: string };
    const spec = (request.project.spec ?? {}) as { image?: string; replicas?: number };
    const name = metadata.name ?? '(unnamed)';
    const replicas = spec.replicas ?? 1;
    const summary = `Project ${name} with image ${spec.image ?? '(none)'} (${replicas} replica${replicas === 1 ? '' : 's'})`;
    this.output.info(`Dry run for ${request.source.fsPath}: would apply ${summary}`);
    this.output.info(`\n${request.yaml}`);
    return { kind: 'dry-run', summary };
  }
}
