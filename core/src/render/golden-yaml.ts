// The YAML form of a render result that the golden files in __golden__/ hold (test support; not exported
// from the package). One definition, so every golden test writes the same shape.
import { stringify } from 'yaml';
import type { RenderResult } from './types';

/** `phase`, `issues`, then the `focus` fields a test is about, `conditions` and the objects with their apply mode. */
export function goldenYaml(result: RenderResult, focus: Record<string, unknown>): string {
  const objects = result.objects.map((d) => {
    const head: Record<string, unknown> = { mode: d.mode };
    if (d.generate) head.generate = d.generate;
    if (d.retainable) head.retainable = true;
    return { ...head, object: d.object };
  });
  return stringify(
    { phase: result.phase, issues: result.issues, ...focus, conditions: result.conditions, objects },
    { aliasDuplicateObjects: false },
  );
}
