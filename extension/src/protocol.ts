// The extension's side of the server's custom requests. Types and method names come from the server's
// protocol module, the single definition both sides compile against; only method strings cross the
// wire, so the extension does not depend on which copy of vscode-jsonrpc created the RequestType.

import type { Diagnostic } from '@reinhardt-cloud/core';
import {
  type PreviewObjectsParams,
  type PreviewObjectsResult,
  type PreviewProjectResult,
  previewObjectsRequest,
  previewProjectRequest,
} from '@reinhardt-cloud/language-server/protocol';
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PreviewKind } from './preview/provider';

export type { PreviewObjectsResult, PreviewProjectResult };

export function requestProjectPreview(
  client: LanguageClient,
  source: vscode.Uri,
): Promise<PreviewProjectResult> {
  return client.sendRequest<PreviewProjectResult>(previewProjectRequest.method, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(source) },
  });
}

export function requestObjectsPreview(
  client: LanguageClient,
  source: vscode.Uri,
  platform: PreviewObjectsParams['platform'] = 'onpremise',
): Promise<PreviewObjectsResult> {
  const params: PreviewObjectsParams = {
    textDocument: { uri: client.code2ProtocolConverter.asUri(source) },
    platform,
  };
  return client.sendRequest<PreviewObjectsResult>(previewObjectsRequest.method, params);
}

/** The preview document's text: the YAML, or YAML comments that say why there is none. */
export async function requestPreview(
  client: LanguageClient,
  kind: PreviewKind,
  source: vscode.Uri,
  platform: PreviewObjectsParams['platform'] = 'onpremise',
): Promise<string> {
  if (kind === 'project') {
    const result = await requestProjectPreview(client, source);
    return result.yaml ?? explainMissing('Project manifest', result.diagnostics);
  }
  const result = await requestObjectsPreview(client, source, platform);
  if (!result.available) {
    return '# This build of the language server cannot render Kubernetes objects (the operator render is not bundled).\n';
  }
  return result.yaml ?? explainMissing('Kubernetes objects', result.diagnostics);
}

function explainMissing(what: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const lines = [
    `# No ${what}: reinhardt-cloud.toml has ${errors.length} error(s). Fix them and this preview updates.`,
  ];
  for (const d of errors) {
    lines.push(
      `#   line ${d.range.start.line + 1}, column ${d.range.start.character + 1}: ${d.message} (${d.code})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
