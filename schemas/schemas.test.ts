// The checked-in schemas are generated from @reinhardt-cloud/core. This test fails when they are stale;
// `UPDATE_SCHEMAS=1 npx vitest run schemas` rewrites them.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdManifest, tomlJsonSchema } from '@reinhardt-cloud/core';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const update = process.env.UPDATE_SCHEMAS === '1';

const header =
  '# Generated from @reinhardt-cloud/core (crdManifest()). Do not edit: run `UPDATE_SCHEMAS=1 npx vitest run schemas`.\n';

const files: Array<[string, () => string]> = [
  ['reinhardt-cloud.schema.json', () => `${JSON.stringify(tomlJsonSchema(), null, 2)}\n`],
  ['project-crd.yaml', () => header + stringify(crdManifest(), { lineWidth: 0 })],
];

describe('generated schemas are up to date', () => {
  for (const [name, generate] of files) {
    it(name, () => {
      const path = join(here, name);
      const expected = generate();
      if (update) writeFileSync(path, expected);
      let actual = '';
      try {
        actual = readFileSync(path, 'utf8');
      } catch {
        actual = '';
      }
      expect(actual, `${name} is stale: run UPDATE_SCHEMAS=1 npx vitest run schemas`).toBe(expected);
    });
  }
});
