// CLI behaviours the original tested (spec/tests-in-original.md §2.2-§2.3), through the built binary.
// Numbers in the test names are the case numbers of that list.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, tempDir } from './helpers';

afterAll(removeTempDirs);

function projectWith(toml: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'reinhardt-cloud.toml'), toml);
  return dir;
}

const APP = '[app]\nname = "my-app"\nimage = "my-app:latest"\n';

async function dryRun(dir: string, ...flags: string[]) {
  const result = await runCli(['deploy', '--dry-run', '--dir', dir, '-o', 'json', ...flags]);
  return { ...result, manifest: result.code === 0 ? JSON.parse(result.stdout) : undefined };
}

describe('deploy --dry-run (original cases)', () => {
  it('19: --replicas 5 beats [replicas] count = 3; without the flag 3; with neither 1', async () => {
    const counted = projectWith(`${APP}[replicas]\ncount = 3\n`);
    expect((await dryRun(counted, '--replicas', '5')).manifest?.spec.replicas).toBe(5);
    expect((await dryRun(counted)).manifest?.spec.replicas).toBe(3);
    expect((await dryRun(projectWith(APP))).manifest?.spec.replicas).toBe(1);
  });

  it('22: prints the manifest without any --cluster', async () => {
    const result = await dryRun(projectWith(`${APP}[database]\nengine = "postgresql"\n`));
    expect(result.code).toBe(0);
    expect(result.manifest).toMatchObject({
      kind: 'Project',
      metadata: { name: 'my-app', namespace: 'default' },
      spec: { image: 'my-app:latest', database: { engine: 'postgresql' }, deletion_policy: 'retain' },
    });
  });

  // Deviation (toml.md §3): the original deployed `engine = "oracle"` as postgresql; we refuse with a located error.
  it('13: an unknown database engine stops the deploy with a located error instead of becoming postgresql', async () => {
    const result = await dryRun(projectWith(`${APP}[database]\nengine = "oracle"\n`));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/reinhardt-cloud\.toml:5:\d+: error invalid-enum-value /);
  });

  // Deviation: unknown tables are still ignored but reported as warnings; the manifest is still printed.
  it('18: an unknown table does not stop the deploy', async () => {
    const result = await dryRun(projectWith(`${APP}[foo]\nbar = 1\n`));
    expect(result.code).toBe(0);
    expect(result.manifest?.spec).not.toHaveProperty('foo');
    expect(result.stderr).toContain('unknown table [foo]');
  });
});
