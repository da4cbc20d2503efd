// The custom requests of the Reinhardt Cloud language server: the one definition shared by the server
// and the VS Code extension (`@reinhardt-cloud/language-server/protocol`). Like rust-analyzer's `lsp_ext`,
// every extension of LSP lives here, typed once, so client and server cannot drift apart.

import type { Diagnostic } from '@reinhardt-cloud/core';
import { RequestType, type TextDocumentIdentifier } from 'vscode-languageserver-protocol';

/** Values the CLI would take from flags; each overrides what the file says, as `reinhardt-cloud deploy` does. */
export interface PreviewOverrides {
  /** `metadata.name` (`--name`); default: `app.name`. */
  name?: string;
  /** `metadata.namespace` (`--namespace`). */
  namespace?: string;
  /** `spec.image` (`--image`); default: `app.image`. */
  image?: string;
  /** `spec.replicas` (`--replicas`); default: `replicas.count`, else 1. */
  replicas?: number;
}

export interface PreviewProjectParams {
  textDocument: TextDocumentIdentifier;
  overrides?: PreviewOverrides;
}

/**
 * Either the Project manifest the CLI would deploy (`project`, also as `yaml`) or `project: null` and the
 * error diagnostics that prevent it. Warnings may accompany a manifest. Diagnostics use core's shape
 * (0-based LSP ranges, rule `code`, field `path`) so the extension can show them as they are.
 */
export interface PreviewProjectResult {
  uri: string;
  /** Document version the preview was computed from. */
  version: number;
  project: Record<string, unknown> | null;
  yaml: string | null;
  diagnostics: Diagnostic[];
}

export const previewProjectRequest = new RequestType<PreviewProjectParams, PreviewProjectResult, void>(
  'reinhardt/previewProject',
);

export interface PreviewObjectsParams extends PreviewProjectParams {
  /**
   * The operator's platform (`REINHARDT_CLOUD_PLATFORM`) to render for: resource defaults, and the cache as
   * ElastiCache (aws) or Memorystore (gcp). Default `onpremise`.
   */
  platform?: 'onpremise' | 'aws' | 'gcp';
}

/** One Kubernetes object the operator will create, as plain JSON. */
export interface PreviewObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * The Kubernetes objects the operator will create for the Project, in apply order, and the same as a
 * multi-document `yaml`. `available: false` when this server was built without the operator's render.
 */
export interface PreviewObjectsResult {
  uri: string;
  version: number;
  available: boolean;
  objects: PreviewObject[];
  yaml: string | null;
  diagnostics: Diagnostic[];
}

export const previewObjectsRequest = new RequestType<PreviewObjectsParams, PreviewObjectsResult, void>(
  'reinhardt/previewObjects',
);

/** File name the server serves; editors should attach it to this name only. */
export const CONFIG_FILE_NAME = 'reinhardt-cloud.toml';
