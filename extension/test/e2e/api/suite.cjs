// API-level checks that run INSIDE the VS Code extension host (loaded through `extensionTestsPath`, as
// @vscode/test-electron does), with the real `vscode` API and the extension under development.
// Each check's outcome is written to $REINHARDT_API_RESULTS as JSON; api.test.mjs asserts on it, so a
// failure here shows up as a named failing test there.
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'reinhardt-cloud.reinhardt-cloud';

async function waitFor(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function configUri(name) {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  return vscode.Uri.joinPath(folder, name, 'reinhardt-cloud.toml');
}

const checks = {
  async activatesWithoutLoadingProjectDetection() {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor('activation', () => extension.isActive);
    const loaded = Object.keys(require.cache).map((p) => path.basename(p));
    // extension.cjs must be in the same module cache, or the absence of project-files.cjs proves nothing.
    return {
      active: extension.isActive,
      extensionLoaded: loaded.includes('extension.cjs'),
      projectFilesLoaded: loaded.includes('project-files.cjs'),
    };
  },

  async publishesDiagnosticsForBrokenFile() {
    const uri = configUri('broken');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'reinhardt-cloud');
      return found.length > 0 ? found : undefined;
    });
    return diagnostics.map((d) => ({
      message: d.message,
      code: typeof d.code === 'object' ? d.code.value : d.code,
      line: d.range.start.line,
      severity: d.severity,
    }));
  },

  async validateCommandCountsErrors() {
    return vscode.commands.executeCommand('reinhardtCloud.validate', configUri('broken'));
  },

  async previewProjectRendersYaml() {
    const source = configUri('valid');
    await vscode.window.showTextDocument(source);
    await vscode.commands.executeCommand('reinhardtCloud.previewProject', source);
    const preview = await waitFor('preview document', () =>
      vscode.workspace.textDocuments.find(
        (d) => d.uri.scheme === 'reinhardt-preview' && d.uri.query === source.toString(),
      ),
    );
    return { path: preview.uri.path, languageId: preview.languageId, text: preview.getText() };
  },

  async previewOfBrokenFileExplainsWhy() {
    const source = configUri('broken');
    await vscode.commands.executeCommand('reinhardtCloud.previewProject', source);
    const preview = await waitFor('broken preview', () =>
      vscode.workspace.textDocuments.find(
        (d) => d.uri.scheme === 'reinhardt-preview' && d.uri.query === source.toString(),
      ),
    );
    return { text: preview.getText() };
  },

  async previewFollowsUnsavedEdits() {
    const source = configUri('valid');
    const editor = await vscode.window.showTextDocument(source);
    const line = editor.document.lineAt(2); // image = "pulse-api:latest"
    await editor.edit((edit) => edit.replace(line.range, 'image = "pulse-api:edited"'));
    const preview = await waitFor('updated preview', () => {
      const doc = vscode.workspace.textDocuments.find(
        (d) => d.uri.scheme === 'reinhardt-preview' && d.uri.query === source.toString(),
      );
      return doc?.getText().includes('pulse-api:edited') ? doc : undefined;
    });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    return { text: preview.getText() };
  },

  async previewObjectsRendersKubernetesObjects() {
    const source = configUri('valid');
    await vscode.commands.executeCommand('reinhardtCloud.previewObjects', source);
    const preview = await waitFor('objects preview', () =>
      vscode.workspace.textDocuments.find(
        (d) =>
          d.uri.scheme === 'reinhardt-preview' &&
          d.uri.path.endsWith('.objects.yaml') &&
          d.uri.query === source.toString(),
      ),
    );
    const kinds = [...preview.getText().matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    return { kinds };
  },

  async previewObjectsFollowsPlatformSetting() {
    const source = configUri('cache');
    await vscode.commands.executeCommand('reinhardtCloud.previewObjects', source);
    const preview = await waitFor('objects preview of the cache project', () =>
      vscode.workspace.textDocuments.find(
        (d) =>
          d.uri.scheme === 'reinhardt-preview' &&
          d.uri.path.endsWith('.objects.yaml') &&
          d.uri.query === source.toString() &&
          d.getText().includes('kind: Deployment'),
      ),
    );
    const kinds = (text) => [...text.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    const before = kinds(preview.getText());
    const config = vscode.workspace.getConfiguration('reinhardtCloud');
    await config.update('preview.platform', 'gcp', vscode.ConfigurationTarget.Global);
    try {
      // The open preview re-renders by itself when the setting changes.
      await waitFor('the preview to show Memorystore', () =>
        preview.getText().includes('kind: RedisInstance'),
      );
      return { before, after: kinds(preview.getText()) };
    } finally {
      await config.update('preview.platform', undefined, vscode.ConfigurationTarget.Global);
    }
  },

  async initWritesConfigForExampleProject() {
    const folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'bookshelf');
    const created = await vscode.commands.executeCommand('reinhardtCloud.init', folder);
    const text = Buffer.from(await vscode.workspace.fs.readFile(created)).toString('utf8');
    const loaded = Object.keys(require.cache).map((p) => path.basename(p));
    return {
      created: path.relative(folder.fsPath, created.fsPath),
      activeEditor: vscode.window.activeTextEditor?.document.uri.fsPath === created.fsPath,
      text,
      projectFilesLoaded: loaded.includes('project-files.cjs'),
    };
  },

  async syncKeepsHandEdits() {
    const folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'bookshelf');
    const uri = vscode.Uri.joinPath(folder, 'reinhardt-cloud.toml');
    const editor = await vscode.window.showTextDocument(uri);
    const document = editor.document;
    const imageLine = [...Array(document.lineCount).keys()].find((i) =>
      document.lineAt(i).text.startsWith('image = '),
    );
    await editor.edit((edit) => {
      edit.replace(document.lineAt(imageLine).range, 'image = "registry.example.com/bookshelf:1.2.3"');
      edit.insert(new vscode.Position(document.lineCount, 0), '\n[replicas]\ncount = 3\n');
    });
    await document.save();
    await vscode.commands.executeCommand('reinhardtCloud.sync', folder);
    return { text: document.getText(), dirty: document.isDirty };
  },

  async deployIsADryRunForValidFile() {
    return vscode.commands.executeCommand('reinhardtCloud.deploy', configUri('valid'));
  },

  async deployRefusesBrokenFile() {
    const outcome = await vscode.commands.executeCommand('reinhardtCloud.deploy', configUri('broken'));
    return { outcome: outcome ?? null };
  },

  async tomlValidationPointsAtBundledSchema() {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const [rule] = extension.packageJSON.contributes.tomlValidation;
    const schemaUri = vscode.Uri.parse(rule.url);
    const bytes = await vscode.workspace.fs.readFile(schemaUri);
    const schema = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return { fileMatch: rule.fileMatch, url: rule.url, hasAppProperty: Boolean(schema.properties?.app) };
  },
};

exports.run = async function run() {
  const results = {};
  for (const [name, check] of Object.entries(checks)) {
    const started = Date.now();
    try {
      results[name] = { ok: true, value: await check(), ms: Date.now() - started };
    } catch (error) {
      results[name] = {
        ok: false,
        error: String(error?.stack ?? error),
        ms: Date.now() - started,
      };
    }
  }
  writeFileSync(process.env.REINHARDT_API_RESULTS, JSON.stringify(results, null, 2));
};
