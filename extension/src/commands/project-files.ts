// Init and Sync: the same core code as `reinhardt-cloud init` / `sync` (detectProject, generateToml,
// syncToml), reading the workspace folder through node:fs exactly like the CLI does. This module is
// bundled separately (dist/project-files.cjs) because core's detection is only needed here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DetectDiagnostic,
  type Detection,
  detectProject,
  generateToml,
  type ProjectFiles,
  syncToml,
} from '@reinhardt-cloud/core';
import * as vscode from 'vscode';
import type { Context } from '../context';
import { CONFIG_FILE_NAME } from '../files';

export async function init(ctx: Context, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = await projectFolder(target, 'Initialize which folder?');
  if (!folder) return undefined;
  const configUri = vscode.Uri.joinPath(folder, CONFIG_FILE_NAME);
  if (existsSync(configUri.fsPath)) {
    const choice = await vscode.window.showWarningMessage(
      `${CONFIG_FILE_NAME} already exists in ${vscode.workspace.asRelativePath(folder)}.`,
      {
        modal: true,
        detail: 'Sync updates it from the project and keeps your edits; Overwrite replaces it.',
      },
      'Sync',
      'Overwrite',
    );
    if (choice === 'Sync') return sync(ctx, folder);
    if (choice !== 'Overwrite') return undefined;
  }
  const detection = detectProject(nodeProjectFiles(folder.fsPath), { env: process.env });
  logDetection(ctx, folder, detection);
  const text = generateToml(detection);
  if (text === '') {
    return failWithDiagnostics(
      ctx,
      `Init failed: ${folder.fsPath} is not a Reinhardt project`,
      detection.diagnostics,
    );
  }
  await writeAndOpen(configUri, text);
  void vscode.window.showInformationMessage(
    `Created ${CONFIG_FILE_NAME} for ${detection.packageName ?? 'the project'}${warningsNote(detection)}.`,
  );
  return configUri;
}

export async function sync(ctx: Context, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = await projectFolder(target, 'Sync which folder?');
  if (!folder) return undefined;
  const configUri = vscode.Uri.joinPath(folder, CONFIG_FILE_NAME);
  if (!existsSync(configUri.fsPath)) {
    void vscode.window.showErrorMessage(`${CONFIG_FILE_NAME} not found. Run "Reinhardt Cloud: Init" first.`);
    return undefined;
  }
  // Sync the editor's text (it may have unsaved edits), not the file on disk.
  const existing = (await vscode.workspace.openTextDocument(configUri)).getText();
  const detection = detectProject(nodeProjectFiles(folder.fsPath), { env: process.env });
  logDetection(ctx, folder, detection);
  const result = syncToml(existing, detection);
  if (result.diagnostics.some((d) => d.severity === 'error')) {
    return failWithDiagnostics(ctx, `Sync failed for ${configUri.fsPath}`, result.diagnostics);
  }
  if (!result.changed) {
    void vscode.window.showInformationMessage(`${CONFIG_FILE_NAME} is already in sync with the project.`);
    await vscode.window.showTextDocument(configUri, { preview: false });
    return configUri;
  }
  await writeAndOpen(configUri, result.text);
  void vscode.window.showInformationMessage(
    `Updated ${CONFIG_FILE_NAME} from the project${warningsNote(detection)}.`,
  );
  return configUri;
}

/** The folder from the explorer context menu, else the only workspace folder, else a picker. */
async function projectFolder(
  target: vscode.Uri | undefined,
  placeHolder: string,
): Promise<vscode.Uri | undefined> {
  if (target) {
    const stat = await vscode.workspace.fs.stat(target);
    return stat.type & vscode.FileType.Directory ? target : vscode.Uri.joinPath(target, '..');
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('Open the folder of a Reinhardt project first.');
    return undefined;
  }
  if (folders.length === 1) return folders[0]!.uri;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder }))?.uri;
}

/** Same read access the CLI gives core: relative paths, `..` allowed to reach a Cargo workspace root. */
function nodeProjectFiles(root: string): ProjectFiles {
  return {
    read(relPath) {
      try {
        return readFileSync(join(root, relPath), 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (relPath) => existsSync(join(root, relPath)),
    list(relDir) {
      try {
        return readdirSync(join(root, relDir)).sort();
      } catch {
        return [];
      }
    },
  };
}

async function writeAndOpen(uri: vscode.Uri, text: string): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    // Replace through an edit so undo works and the editor does not report a conflict with the disk.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, open.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
    await open.save();
  } else {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  }
  await vscode.window.showTextDocument(uri, { preview: false });
}

function logDetection(ctx: Context, folder: vscode.Uri, detection: Detection): void {
  ctx.output.info(
    `Detected ${detection.packageName ?? '(no package)'} v${detection.packageVersion ?? '?'} in ${folder.fsPath}`,
  );
  for (const reason of detection.reasons) ctx.output.info(`  ${reason.key}: ${reason.because}`);
  for (const d of detection.diagnostics) {
    const line = `${d.file ?? folder.fsPath}: ${d.severity} ${d.code} ${d.message}`;
    if (d.severity === 'error') ctx.output.error(line);
    else if (d.severity === 'warning') ctx.output.warn(line);
    else ctx.output.info(line);
  }
}

/** " (1 warning; see the "Reinhardt Cloud" output)" when detection warned about something, else "". */
function warningsNote(detection: Detection): string {
  const warnings = detection.diagnostics.filter((d) => d.severity === 'warning').length;
  return warnings === 0
    ? ''
    : ` (${warnings} warning${warnings === 1 ? '' : 's'}; see the "Reinhardt Cloud" output)`;
}

function failWithDiagnostics(
  ctx: Context,
  title: string,
  diagnostics: readonly DetectDiagnostic[],
): undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) {
    const where = d.file ? `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ` : '';
    ctx.output.error(`${where}${d.message}`);
  }
  const first = errors[0] ?? diagnostics[0];
  void vscode.window
    .showErrorMessage(first ? `${title}: ${first.message}` : title, 'Show Output')
    .then((choice) => choice && ctx.output.show());
  return undefined;
}
