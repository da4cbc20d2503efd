// Typed view of the `reinhardtCloud.*` settings. Every setting the extension reads goes through here,
// so names and defaults live in one place (and match `contributes.configuration` in package.json).
import * as vscode from 'vscode';

export const CONFIG_SECTION = 'reinhardtCloud';

export interface Settings {
  validationEnabled: boolean;
  statusBarEnabled: boolean;
  previewRefreshDelayMs: number;
  /** The operator's platform the Kubernetes-objects preview renders for. */
  previewPlatform: 'onpremise' | 'aws' | 'gcp';
  /** Absolute path of a server module to run instead of the bundled one; `undefined` = bundled. */
  serverPath: string | undefined;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const serverPath = config.get<string>('server.path', '').trim();
  return {
    validationEnabled: config.get<boolean>('validation.enabled', true),
    statusBarEnabled: config.get<boolean>('statusBar.enabled', true),
    previewRefreshDelayMs: clamp(config.get<number>('preview.refreshDelayMs', 150), 0, 5000),
    previewPlatform: platformOf(config.get<string>('preview.platform', 'onpremise')),
    serverPath: serverPath === '' ? undefined : serverPath,
  };
}

/** Settings whose change needs a language-server restart. */
export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return (
    event.affectsConfiguration(`${CONFIG_SECTION}.server.path`) ||
    event.affectsConfiguration(`${CONFIG_SECTION}.validation.enabled`)
  );
}

function platformOf(value: string): Settings['previewPlatform'] {
  return value === 'aws' || value === 'gcp' ? value : 'onpremise';
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
