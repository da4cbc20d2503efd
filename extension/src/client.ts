// Starts the bundled language server (dist/server.cjs, a self-contained bundle of language-server/)
// over Node IPC and connects a language client to it for every reinhardt-cloud.toml.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import type { Settings } from './config';
import { CONFIG_DOCUMENT_SELECTOR } from './files';

/** Also the prefix of the `reinhardtCloud.trace.server` setting the client reads by itself. */
export const CLIENT_ID = 'reinhardtCloud';
const CLIENT_NAME = 'Reinhardt Cloud Language Server';

export interface ClientDependencies {
  extensionPath: string;
  outputChannel: vscode.LogOutputChannel;
  configFileWatcher: vscode.FileSystemWatcher;
  /** Read on every publish, so toggling validation needs no restart. */
  validationEnabled: () => boolean;
}

export function createClient(settings: Settings, deps: ClientDependencies): LanguageClient {
  const module = settings.serverPath ?? path.join(deps.extensionPath, 'dist', 'server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: CONFIG_DOCUMENT_SELECTOR,
    outputChannel: deps.outputChannel,
    synchronize: { fileEvents: deps.configFileWatcher },
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => next(uri, deps.validationEnabled() ? diagnostics : []),
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
