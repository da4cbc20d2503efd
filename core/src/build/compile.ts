// compileProject: TOML text → Project manifest plus every diagnostic, for `deploy --dry-run`, `validate`
// and the editor preview. The project is returned only when there are no errors.

import type { Project } from '../crd/schema';
import { type Diagnostic, hasErrors, ZERO_RANGE } from '../diagnostics';
import { validateProjectSpec } from '../rules';
import { analyzeToml, specIssuesToDiagnostics } from '../toml/analyze';
import { type BuildOptions, buildProject, parseIntrospect } from './project';

export interface CompileResult {
  project: Project | undefined;
  diagnostics: Diagnostic[];
}

export function compileProject(text: string, opts: BuildOptions = {}): CompileResult {
  const analysis = analyzeToml(text);
  const diagnostics = [...analysis.diagnostics];
  if (!analysis.config || hasErrors(diagnostics)) return { project: undefined, diagnostics };
  if (opts.introspect !== undefined) {
    const { error } = parseIntrospect(opts.introspect);
    if (error) {
      diagnostics.push({
        severity: 'error',
        code: 'invalid-introspect',
        message: `manage introspect output does not match IntrospectOutput: ${error}`,
        path: '',
        range: ZERO_RANGE,
      });
      return { project: undefined, diagnostics };
    }
  }
  const project = buildProject(analysis.config, opts);
  // Overrides (--image, --replicas) can introduce problems the file alone didn't have: validate the result.
  if (opts.image !== undefined || opts.replicas !== undefined) {
    const extra = validateProjectSpec(project.spec).filter(
      (i) => i.path === 'replicas' || i.path === 'image',
    );
    for (const d of specIssuesToDiagnostics(extra, new Map())) {
      if (!diagnostics.some((e) => e.code === d.code)) diagnostics.push({ ...d, path: d.path });
    }
  }
  return { project: hasErrors(diagnostics) ? undefined : project, diagnostics };
}
