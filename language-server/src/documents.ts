// Per-document analysis cache. Each open document keeps, for its current version, the tolerant scan
// (cursor features) and core's analysis (diagnostics, previews), each computed at most once and only
// when first asked for. Nothing here touches the disk or the network.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, type CompiledProject, compileDocument, type DocumentAnalysis } from './core-bridge';
import { type ScannedDocument, scanDocument } from './scan';

export interface DocumentState {
  uri: string;
  version: number;
  text: string;
  scan(): ScannedDocument;
  analysis(): DocumentAnalysis;
  /** The manifest without CLI overrides (previews). */
  compiled(): CompiledProject;
}

export class DocumentCache {
  private readonly states = new Map<string, DocumentState>();

  get(document: TextDocument): DocumentState {
    const existing = this.states.get(document.uri);
    if (existing && existing.version === document.version) return existing;
    const text = document.getText();
    let scan: ScannedDocument | undefined;
    let analysis: DocumentAnalysis | undefined;
    let compiled: CompiledProject | undefined;
    const state: DocumentState = {
      uri: document.uri,
      version: document.version,
      text,
      scan: () => {
        scan ??= scanDocument(text);
        return scan;
      },
      analysis: () => {
        analysis ??= analyzeDocument(text);
        return analysis;
      },
      compiled: () => {
        compiled ??= compileDocument(text);
        return compiled;
      },
    };
    this.states.set(document.uri, state);
    return state;
  }

  delete(uri: string): void {
    this.states.delete(uri);
  }
}
