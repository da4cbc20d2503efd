// Everything the server asks of core, in one place: the file's diagnostics (syntax, types, schema and
// every spec rule), the Project manifest, the schema description and the operator's render. The server
// adds no rule of its own; it only forwards what core says.

import { analyzeToml, compileProject, type Diagnostic, describeTomlPath } from '@reinhardt-cloud/core';
import type { PreviewOverrides } from './protocol';
import { type DescribePath, SchemaModel } from './schema-model';

export interface DocumentAnalysis {
  diagnostics: Diagnostic[];
}

export interface CompiledProject {
  /** The Project `deploy` would submit, or null when errors prevent it. */
  project: Record<string, unknown> | null;
  diagnostics: Diagnostic[];
}

/** The per-keystroke check: one parse, schema validation and every cross-field rule. */
export function analyzeDocument(text: string): DocumentAnalysis {
  return { diagnostics: analyzeToml(text).diagnostics };
}

/** The manifest (off the hot path: previews only). */
export function compileDocument(text: string, overrides: PreviewOverrides = {}): CompiledProject {
  const result = compileProject(text, overrides);
  return {
    project: (result.project as Record<string, unknown> | undefined) ?? null,
    diagnostics: result.diagnostics,
  };
}

let model: SchemaModel | undefined;

/** The schema tree for completion and hover, built on first use. */
export function schemaModel(): SchemaModel {
  model ??= new SchemaModel(describeTomlPath as DescribePath);
  return model;
}
