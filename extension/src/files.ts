// Which documents the extension cares about. The file is plain TOML, so matching is by file name
// rather than language id: it works with no TOML extension, with Even Better TOML, or as plaintext.
import type * as vscode from 'vscode';

export const CONFIG_FILE_NAME = 'reinhardt-cloud.toml';

/** Plain-string globs, the form both vscode.DocumentFilter and the LSP client's selector accept. */
export const CONFIG_DOCUMENT_SELECTOR: { scheme: string; pattern: string }[] = [
  { scheme: 'file', pattern: `**/${CONFIG_FILE_NAME}` },
  { scheme: 'untitled', pattern: `**/${CONFIG_FILE_NAME}` },
];

export function isConfigDocument(document: vscode.TextDocument): boolean {
  return (
    (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') &&
    document.uri.path.endsWith(`/${CONFIG_FILE_NAME}`)
  );
}
