// typescript-eslint style rule tests: a table of valid specs (no issue) and invalid specs (exact issues).
import { describe, expect, it } from 'vitest';
import type { ProjectSpecInput } from '../src/crd/schema';
import { validateProjectSpec } from '../src/rules';
import type { SpecRule } from '../src/rules/rule';

type PartialSpec = Omit<ProjectSpecInput, 'image'> & { image?: string };

export interface RuleCases {
  valid: PartialSpec[];
  invalid: Array<{ spec: PartialSpec; errors: Array<{ path: string; message: string }> }>;
}

function run(rule: SpecRule, spec: ProjectSpecInput) {
  const found: Array<{ path: string; message: string }> = [];
  rule.check(spec, (issue) => found.push({ path: issue.path, message: issue.message }));
  return found;
}

export function testRule(rule: SpecRule, cases: RuleCases): void {
  describe(rule.code, () => {
    it('has a kebab-case code and a description', () => {
      expect(rule.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(10);
    });
    it.each(cases.valid.map((spec, i) => [i, spec] as const))('valid #%i', (_i, spec) => {
      expect(run(rule, { image: 'app:1', ...spec })).toEqual([]);
    });
    it.each(cases.invalid.map((c, i) => [i, c] as const))('invalid #%i', (_i, c) => {
      const spec = { image: 'app:1', ...c.spec };
      expect(run(rule, spec)).toEqual(c.errors);
      // The registry runs this rule: the same issues come out of validateProjectSpec with the rule's code.
      const fromRegistry = validateProjectSpec(spec)
        .filter((issue) => issue.code === rule.code)
        .map(({ path, message, severity }) => ({ path, message, severity }));
      expect(fromRegistry).toEqual(c.errors.map((e) => ({ ...e, severity: rule.severity })));
    });
  });
}
