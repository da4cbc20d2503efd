// Real-editor end-to-end tests: the packaged VSIX in code-server (VS Code 1.139), driven through the UI
// with Playwright and Debian's chromium. Each test gets a fresh copy of its workspace; screenshots go
// to .artifacts/e2e/ at the repository root.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXAMPLE_PROJECT, FIXTURES_DIR, startEditor, waitForFileText, workspaceFrom } from './harness.mjs';

const CONFIG = 'reinhardt-cloud.toml';
const ENGINE_MESSAGE = 'invalid value "postgress" for `database.engine`';
const TEST_TIMEOUT = 90_000;

describe('reinhardt-cloud extension in code-server', { timeout: 10 * 60_000 }, () => {
  let editor;
  const workbenches = [];

  before(async () => {
    editor = await startEditor();
  });

  after(async () => {
    for (const workbench of workbenches) await workbench.close();
    await editor?.stop();
  });

  async function open(folder) {
    const workbench = await editor.openWorkspace(folder);
    workbenches.push(workbench);
    return workbench;
  }

  /** A UI test that leaves a FAILED-<name>.png of the last workbench behind when it fails. */
  function uiTest(name, shot, body) {
    test(name, { timeout: TEST_TIMEOUT }, async () => {
      try {
        await body();
      } catch (error) {
        await workbenches
          .at(-1)
          ?.screenshot(`FAILED-${shot}`)
          .catch(() => {});
        throw error;
      }
    });
  }

  uiTest(
    'a broken reinhardt-cloud.toml shows a squiggle, a Problems entry and an invalid status',
    '01-diagnostics',
    async () => {
      const workbench = await open(await workspaceFrom(join(FIXTURES_DIR, 'broken')));
      const { page } = workbench;
      await workbench.openFile(CONFIG);
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item:has-text("reinhardt-cloud.toml: 2 errors")').waitFor();

      await workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
      const entry = page.locator(`.markers-panel .monaco-list-row:has-text('${ENGINE_MESSAGE}')`);
      await entry.waitFor();
      const text = await entry.textContent();
      assert.match(text, /Did you mean "postgresql"\?/);
      assert.match(text, /reinhardt-cloud/, 'the Problems entry names our server as its source');
      await workbench.screenshot('01-diagnostics-problems');
    },
  );

  uiTest('a quick fix replaces the misspelt database engine', '02-quick-fix', async () => {
    const folder = await workspaceFrom(join(FIXTURES_DIR, 'broken'));
    const workbench = await open(folder);
    const { page } = workbench;
    await workbench.openFile(CONFIG);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await workbench.goTo(7, 12);
    const fix = page.locator('.action-widget .monaco-list-row:has-text(\'Replace with "postgresql"\')');
    // The quick-fix menu lists the code actions known when it opens; right after the squiggle appears the
    // editor may not have asked for them at this position yet (seen once in this suite),
    // so open it again if the fix is not there, as a user would.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      const shown = await fix.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (attempt === 4)
        throw new Error('the quick fix "Replace with "postgresql"" never appeared in the menu');
      await page.keyboard.press('Escape');
      await workbench.goTo(7, 12);
    }
    await workbench.screenshot('02-quick-fix-menu');
    await fix.click();
    await workbench.save();
    const saved = await waitForFileText(join(folder, CONFIG), (t) => t.includes('engine = "postgresql"\n'));
    assert.doesNotMatch(saved, /postgress/);
    await page.locator('.statusbar-item:has-text("reinhardt-cloud.toml: 1 error")').waitFor();
    await workbench.screenshot('02-quick-fix-applied');
  });

  uiTest(
    'completion inside metric = "" offers the enum values and inserts the picked one',
    '03-completion',
    async () => {
      const folder = await workspaceFrom(join(FIXTURES_DIR, 'broken'));
      const workbench = await open(folder);
      const { page } = workbench;
      await workbench.openFile(CONFIG);
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
      await workbench.goTo(12, 11);
      await page.keyboard.press('Control+Space');
      const suggestions = page.locator('.suggest-widget .monaco-list-row');
      await suggestions.first().waitFor();
      const labels = await suggestions.evaluateAll((rows) =>
        rows.map((r) => r.getAttribute('aria-label') ?? ''),
      );
      for (const value of ['cpu', 'memory', 'rps']) {
        assert.ok(
          labels.some((l) => l.startsWith(value)),
          `completion offers ${value}; got ${labels.join(' | ')}`,
        );
      }
      await workbench.screenshot('03-completion-list');
      await suggestions
        .filter({ hasText: /^memory/ })
        .first()
        .click();
      await workbench.save();
      await waitForFileText(join(folder, CONFIG), (t) => t.includes('metric = "memory"\n'));
      await workbench.screenshot('03-completion-applied');
    },
  );

  uiTest(
    'Preview Project opens the Project YAML beside the TOML and follows edits',
    '04-preview',
    async () => {
      const workbench = await open(await workspaceFrom(join(FIXTURES_DIR, 'valid')));
      const { page } = workbench;
      await workbench.openFile(CONFIG);
      await page
        .locator('.statusbar-item:has-text("reinhardt-cloud.toml valid")')
        .waitFor({ timeout: 30_000 });
      await workbench.runCommand('Reinhardt Cloud: Preview Project');
      await page.locator('.tab:has-text("reinhardt-cloud.project.yaml")').waitFor();
      await waitForEditorText(
        workbench,
        2,
        (t) => /^kind: Project$/m.test(t) && /image: pulse-api:latest/.test(t),
      );
      await workbench.screenshot('04-preview-project');

      // Live update: edit the image in the TOML (unsaved) and watch the preview follow.
      await workbench.goTo(3, 10);
      await page.keyboard.type('v2-');
      await waitForEditorText(workbench, 2, (t) => /image: v2-pulse-api:latest/.test(t));
      await workbench.screenshot('04-preview-project-updated');
    },
  );

  uiTest('Init on the example project writes reinhardt-cloud.toml and opens it', '05-init', async () => {
    const folder = await workspaceFrom(EXAMPLE_PROJECT);
    const workbench = await open(folder);
    const { page } = workbench;
    await workbench.runCommand('Reinhardt Cloud: Init');
    await page.locator(`.tab.active:has-text("${CONFIG}")`).waitFor({ timeout: 30_000 });
    const written = await readFile(join(folder, CONFIG), 'utf8');
    assert.match(written, /^\[app\]\nname = "bookshelf"\nimage = "bookshelf:latest"$/m);
    assert.match(written, /^\[database\]\nengine = "postgresql"$/m, 'db-postgres feature and settings');
    assert.match(written, /^\[worker\]$/m, 'tasks feature');
    await waitForEditorText(workbench, 1, (t) => t.includes('name = "bookshelf"'));
    await page
      .locator('.notifications-toasts:has-text("Created reinhardt-cloud.toml for bookshelf")')
      .waitFor();
    await page.locator('.statusbar-item:has-text("reinhardt-cloud.toml valid")').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800); // let the toast finish fading in before the screenshot
    await workbench.screenshot('05-init');
  });
});

async function waitForEditorText(workbench, group, predicate, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await workbench.editorText(group).catch(() => '');
    if (predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(
    `editor ${group} did not show the expected text within ${timeoutMs} ms; it shows:\n${text}`,
  );
}
