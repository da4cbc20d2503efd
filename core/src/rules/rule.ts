// A validation rule over a Project spec (crd.md §5). One rule per file, each with a stable kebab-case code,
// so the CLI, the editor and the operator report the same problem the same way.
import type { ProjectSpecInput } from '../crd/schema';

export type RuleSeverity = 'error' | 'warning';

export interface SpecIssue {
  code: string;
  severity: RuleSeverity;
  /** Spec field path, dotted with `[i]` for list items: `services.tls.secret_name`. */
  path: string;
  /** The spec's message text (crd.md §5). */
  message: string;
  /**
   * Where to point when `path` is absent from the source (a missing key): tried in order before falling
   * back to the nearest existing parent table. E.g. a missing `secret_name` points at `tls.enabled`.
   */
  anchors?: string[];
}

export interface SpecRule {
  code: string;
  severity: RuleSeverity;
  /** One line for docs and `reinhardt-cloud rules`. */
  description: string;
  check(spec: ProjectSpecInput, report: (issue: Omit<SpecIssue, 'code' | 'severity'>) => void): void;
}

export function defineRule(rule: SpecRule): SpecRule {
  return rule;
}

/** Rules about the TOML text itself; the checks live in ../toml/analyze, the catalogue here. */
export interface TomlRule {
  code: string;
  severity: 'error' | 'warning';
  description: string;
}
