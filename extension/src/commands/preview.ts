// Preview Project / Preview Kubernetes Objects: open the live read-only YAML beside the TOML.
import * as vscode from 'vscode';
import type { Context } from '../context';
import { CONFIG_FILE_NAME } from '../files';
import type { PreviewKind } from '../preview/provider';

export async function openPreview(ctx: Context, kind: PreviewKind, uri?: vscode.Uri): Promise<void> {
  const source = uri instanceof vscode.Uri ? uri : await ctx.targetConfigFile();
  if (!source) {
    void vscode.window.showErrorMessage(
      `No ${CONFIG_FILE_NAME} to preview. Open one, or run "Reinhardt Cloud: Init" to create it.`,
    );
    return;
  }
  await ctx.previews.open(kind, source);
}
