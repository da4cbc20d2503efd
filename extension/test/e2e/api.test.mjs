// API-level layer: test/e2e/api/suite.cjs runs inside the extension host of code-server (the extension
// loaded from its folder as under development) and reports each check; this file asserts on them.
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ARTIFACTS_DIR,
  EXAMPLE_PROJECT,
  EXTENSION_DIR,
  FIXTURES_DIR,
  startEditor,
  waitForFileText,
  workspaceFrom,
} from './harness.mjs';

describe('reinhardt-cloud extension API in the extension host', { timeout: 5 * 60_000 }, () => {
  let editor;
  let workbench;
  let results;

  before(async () => {
    const workspace = await workspaceFrom(FIXTURES_DIR);
    await cp(EXAMPLE_PROJECT, join(workspace, 'bookshelf'), { recursive: true });
    const resultsFile = join(workspace, '.api-results.json');
    editor = await startEditor({ development: true, env: { REINHARDT_API_RESULTS: resultsFile } });
    workbench = await editor.openWorkspace(workspace, [
      ['extensionTestsPath', join(EXTENSION_DIR, 'test', 'e2e', 'api', 'suite.cjs')],
    ]);
    await waitForFileText(resultsFile, (text) => text.trim().endsWith('}'), 120_000);
    results = JSON.parse(await readFile(resultsFile, 'utf8'));
    // Keep what the extension host reported next to the screenshots, for reading a failure in CI.
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await writeFile(join(ARTIFACTS_DIR, 'api-results.json'), JSON.stringify(results, null, 2));
  });

  after(async () => {
    await workbench?.close();
    await editor?.stop();
  });

  function value(name) {
    const result = results[name];
    assert.ok(result, `check ${name} ran`);
    assert.ok(result.ok, `check ${name} failed in the extension host:\n${result.error}`);
    return result.value;
  }

  test('activates on a workspace with reinhardt-cloud.toml without loading project detection', () => {
    assert.deepEqual(value('activatesWithoutLoadingProjectDetection'), {
      active: true,
      extensionLoaded: true,
      projectFilesLoaded: false,
    });
  });

  test('publishes our diagnostics for a broken file', () => {
    const diagnostics = value('publishesDiagnosticsForBrokenFile');
    const engine = diagnostics.find((d) => d.code === 'invalid-enum-value' && d.line === 6);
    assert.ok(engine, `an invalid-enum-value diagnostic on line 7; got ${JSON.stringify(diagnostics)}`);
    assert.match(engine.message, /invalid value "postgress" for `database.engine`/);
  });

  test('Validate counts the errors of the file', () => {
    assert.deepEqual(value('validateCommandCountsErrors'), { errors: 2, warnings: 0 });
  });

  test('Preview Project renders the Project manifest as a YAML document', () => {
    const preview = value('previewProjectRendersYaml');
    assert.equal(preview.languageId, 'yaml');
    assert.match(preview.path, /reinhardt-cloud\.project\.yaml$/);
    assert.match(preview.text, /^kind: Project$/m);
    assert.match(preview.text, /^ {2}name: pulse-api$/m);
  });

  test('the preview of a file with errors says which errors block the manifest', () => {
    const { text } = value('previewOfBrokenFileExplainsWhy');
    assert.match(text, /^# No Project manifest: reinhardt-cloud\.toml has 2 error\(s\)/);
    assert.match(text, /line 7, column 10: invalid value "postgress" for `database\.engine`/);
    assert.doesNotMatch(text, /^kind:/m);
  });

  test('the preview follows unsaved edits of the TOML', () => {
    assert.match(value('previewFollowsUnsavedEdits').text, /image: pulse-api:edited/);
  });

  test('Preview Kubernetes Objects renders what the operator will create', () => {
    const { kinds } = value('previewObjectsRendersKubernetesObjects');
    assert.ok(kinds.includes('Deployment'), `a Deployment among ${kinds.join(', ')}`);
    assert.ok(kinds.includes('Service'), `a Service among ${kinds.join(', ')}`);
  });

  test('the objects preview follows the platform setting: Memorystore on gcp instead of in-cluster Redis', () => {
    const { before, after } = value('previewObjectsFollowsPlatformSetting');
    assert.ok(!before.includes('RedisInstance'), `no RedisInstance on-premise: ${before.join(', ')}`);
    assert.ok(after.includes('RedisInstance'), `a RedisInstance on gcp: ${after.join(', ')}`);
    assert.ok(
      before.filter((k) => k === 'Deployment').length > after.filter((k) => k === 'Deployment').length,
    );
  });

  test('Init writes reinhardt-cloud.toml for the example project, opens it, and loads detection only then', () => {
    const init = value('initWritesConfigForExampleProject');
    assert.equal(init.created, 'reinhardt-cloud.toml');
    assert.equal(init.activeEditor, true);
    assert.match(init.text, /^name = "bookshelf"$/m);
    assert.equal(init.projectFilesLoaded, true);
  });

  test('Sync keeps the image and tables the user set by hand', () => {
    const synced = value('syncKeepsHandEdits');
    assert.match(synced.text, /^image = "registry\.example\.com\/bookshelf:1\.2\.3"$/m);
    assert.match(synced.text, /^\[replicas\]\ncount = 3$/m);
    assert.match(synced.text, /^\[app\]$/m);
    assert.equal(synced.dirty, false);
  });

  test('Deploy is a dry run for a valid file and refuses a broken one', () => {
    const outcome = value('deployIsADryRunForValidFile');
    assert.equal(outcome.kind, 'dry-run');
    assert.match(outcome.summary, /^Project pulse-api with image pulse-api:latest/);
    assert.deepEqual(value('deployRefusesBrokenFile'), { outcome: null });
  });

  test('tomlValidation points at the bundled schema (no network)', () => {
    const rule = value('tomlValidationPointsAtBundledSchema');
    assert.equal(rule.fileMatch, 'reinhardt-cloud.toml');
    assert.match(rule.url, /^(file|vscode-remote):\/\/.*\/dist\/reinhardt-cloud\.schema\.json$/);
    assert.equal(rule.hasAppProperty, true);
  });
});
