// Entry point. Activation creates the Context (client, status bar, preview provider) and registers
// commands; each command's module is imported on first use. Init/Sync pull in core's project detection,
// which esbuild emits as a separate file (dist/project-files.cjs), so activation never loads it.
import * as vscode from 'vscode';
import { Context } from './context';
import { isConfigDocument } from './files';

let context: Context | undefined;

type CommandHandler = (ctx: Context, ...args: unknown[]) => Promise<unknown>;

const COMMANDS: Record<string, CommandHandler> = {
  'reinhardtCloud.init': async (ctx, uri) => (await import('./commands/project-files')).init(ctx, asUri(uri)),
  'reinhardtCloud.sync': async (ctx, uri) => (await import('./commands/project-files')).sync(ctx, asUri(uri)),
  'reinhardtCloud.validate': async (ctx, uri) =>
    (await import('./commands/validate')).validate(ctx, asUri(uri)),
  'reinhardtCloud.previewProject': async (ctx, uri) =>
    (await import('./commands/preview')).openPreview(ctx, 'project', asUri(uri)),
  'reinhardtCloud.previewObjects': async (ctx, uri) =>
    (await import('./commands/preview')).openPreview(ctx, 'objects', asUri(uri)),
  'reinhardtCloud.deploy': async (ctx, uri) => (await import('./commands/deploy')).deploy(ctx, asUri(uri)),
  'reinhardtCloud.restartServer': async (ctx) => ctx.restartServer(),
};

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  resolveBundledSchemaUrls(extension);
  const ctx = new Context(extension);
  context = ctx;
  for (const [id, handler] of Object.entries(COMMANDS)) {
    ctx.track(
      vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(ctx, id, handler, args)),
    );
  }
  // Start the server once a reinhardt-cloud.toml is open (activation by `onLanguage:toml` may come from
  // any TOML file); never block activation on it. Commands await ctx.client() themselves.
  const startServer = () =>
    void ctx.client().catch(() => {
      void vscode.window.showErrorMessage(
        'The Reinhardt Cloud language server did not start. See the "Reinhardt Cloud" output for details.',
      );
    });
  if (vscode.workspace.textDocuments.some(isConfigDocument)) {
    startServer();
  } else {
    const waiting = ctx.track(
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (!isConfigDocument(document)) return;
        waiting.dispose();
        startServer();
      }),
    );
  }
}

export async function deactivate(): Promise<void> {
  const ctx = context;
  context = undefined;
  await ctx?.dispose();
}

async function runCommand(
  ctx: Context,
  id: string,
  handler: CommandHandler,
  args: unknown[],
): Promise<unknown> {
  try {
    return await handler(ctx, ...args);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
    void vscode.window.showErrorMessage(`Reinhardt Cloud: ${message}`);
    return undefined;
  }
}

/**
 * `contributes.tomlValidation` names the bundled schema relative to the extension, but Even Better TOML
 * forwards each rule's url to its server verbatim (it reads `packageJSON` of every extension), so a
 * relative path resolves nowhere. Rewrite ours to the absolute URI of the installed file; no network.
 */
function resolveBundledSchemaUrls(extension: vscode.ExtensionContext): void {
  const rules: unknown = extension.extension.packageJSON?.contributes?.tomlValidation;
  if (!Array.isArray(rules)) return;
  for (const rule of rules as { url?: unknown }[]) {
    if (typeof rule.url === 'string' && rule.url.startsWith('./')) {
      rule.url = vscode.Uri.joinPath(extension.extensionUri, rule.url).toString();
    }
  }
}

/** Commands run from the explorer context menu receive the clicked resource; from the palette, nothing. */
function asUri(value: unknown): vscode.Uri | undefined {
  return value instanceof vscode.Uri ? value : undefined;
}
