// The chart ships the generated Project CRD; it must be the same bytes as schemas/project-crd.yaml.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART_DIR, REPO_ROOT, renderChart } from './helm';

const SOURCE = join(REPO_ROOT, 'schemas', 'project-crd.yaml');
const CHART_COPY = join(CHART_DIR, 'crds', 'project-crd.yaml');

describe('the chart CRD', () => {
  it('is byte-identical to schemas/project-crd.yaml', async () => {
    const source = await readFile(SOURCE, 'utf8');
    if (process.env.UPDATE_CHART_CRD === '1') await writeFile(CHART_COPY, source);
    const copy = await readFile(CHART_COPY, 'utf8');
    if (copy !== source) {
      throw new Error(
        'charts/reinhardt-cloud-operator/crds/project-crd.yaml differs from schemas/project-crd.yaml. ' +
          'Copy it: `cp schemas/project-crd.yaml charts/reinhardt-cloud-operator/crds/` or run ' +
          '`UPDATE_CHART_CRD=1 npx vitest run --project charts charts/test/crd.test.ts`.',
      );
    }
    expect(copy.length).toBeGreaterThan(1000);
  });

  it('is what `helm template --include-crds` ships', async () => {
    const objects = await renderChart({ release: 'crd-check', namespace: 'ops', includeCrds: true });
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name)).toEqual(['projects.paas.reinhardt-cloud.dev']);
    expect(crds[0]).toEqual(parse(await readFile(SOURCE, 'utf8')));
  });
});
