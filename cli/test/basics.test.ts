import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, STACK_LINE } from './helpers';

const ESC = '\u001b[';
const COMMANDS = ['init', 'sync', 'validate', 'deploy', 'render', 'crd'];

describe('global flags', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'cli/package.json'), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
    expect((await runCli(['-V'])).stdout).toBe(`${version}\n`);
  });

  it('--help lists every command and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, 'm'));
    expect(result.stdout).toContain('Usage: reinhardt-cloud <command>');
    expect(result.stderr).toBe('');
  });

  it('no command is a usage error (exit 2) that still shows the commands', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: missing command.');
    expect(result.stderr).toContain('Commands:');
    expect(result.stdout).toBe('');
  });
});

describe('per-command help', () => {
  it.each(COMMANDS)('%s: --help and `help <command>` print the same usage', async (command) => {
    const viaFlag = await runCli([command, '--help']);
    const viaHelp = await runCli(['help', command]);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
    expect(viaFlag.stdout).toContain(`Usage: reinhardt-cloud ${command}`);
    expect(viaFlag.stdout).toMatch(/^ {2}-h, --help\s+show this help$/m);
  });

  it('-h wins over other problems on the line, without running the command', async () => {
    const result = await runCli(['deploy', '-h', '--dir', '/definitely/not/here']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--dry-run');
  });

  it('deploy help documents every flag', async () => {
    const { stdout } = await runCli(['help', 'deploy']);
    for (const flag of [
      '--dry-run',
      '-d, --dir DIR',
      '-o, --output FORMAT',
      '-n, --name NAME',
      '-i, --image IMAGE',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('-r, --replicas N');
    expect(stdout).toContain('--namespace NS');
  });
});

describe('usage errors', () => {
  it('an unknown command exits 2 with a suggestion', async () => {
    const result = await runCli(['delpoy', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: unknown command `delpoy`. Did you mean `deploy`?');
    expect(result.stderr).toContain('reinhardt-cloud --help');
    expect(result.stdout).toBe('');
  });

  it('an unknown command far from every name gets no suggestion', async () => {
    const result = await runCli(['kubernetes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: unknown command `kubernetes`.');
    expect(result.stderr).not.toContain('Did you mean');
  });

  it('help for an unknown command suggests the right one', async () => {
    const result = await runCli(['help', 'validat']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Did you mean `validate`?');
  });

  it('an unknown flag exits 2 with a suggestion and the command help hint', async () => {
    const result = await runCli(['deploy', '--dry-rn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Error: unknown option `--dry-rn` for `deploy`. Did you mean `--dry-run`?',
    );
    expect(result.stderr).toContain('reinhardt-cloud deploy --help');
  });

  it('an unknown short flag exits 2', async () => {
    const result = await runCli(['init', '-x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option `-x` for `init`');
  });

  it('a flag before the command is explained', async () => {
    const result = await runCli(['--verison']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Did you mean `--version`?');
  });

  it('a string option without its value exits 2', async () => {
    const atEnd = await runCli(['deploy', '--dry-run', '--dir']);
    expect(atEnd.code).toBe(2);
    expect(atEnd.stderr).toContain('option `--dir DIR` needs a value');
    const beforeFlag = await runCli(['deploy', '--dir', '--dry-run']);
    expect(beforeFlag.code).toBe(2);
    expect(beforeFlag.stderr).toContain('option `--dir DIR` needs a value');
  });

  it('a boolean option with a value exits 2', async () => {
    const result = await runCli(['init', '--force=yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('option `--force` does not take a value');
  });

  it('an invalid choice exits 2 and names the valid ones', async () => {
    const result = await runCli(['crd', '-o', 'yml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'invalid value `yml` for `--output`: expected one of yaml, json. Did you mean `yaml`?',
    );
  });

  it('an unexpected positional argument exits 2', async () => {
    const result = await runCli(['validate', 'reinhardt-cloud.toml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unexpected argument `reinhardt-cloud.toml` for `validate`');
  });

  it('no usage error prints a stack trace', async () => {
    for (const args of [['nope'], ['deploy', '--bogus'], ['deploy', '--replicas', 'many', '--dry-run']]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
  });

  it('REINHARDT_CLOUD_DEBUG=1 adds the stack trace', async () => {
    const result = await runCli(['deploy', '--bogus'], { env: { REINHARDT_CLOUD_DEBUG: '1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(STACK_LINE);
  });
});

describe('color', () => {
  it('is off when stdout is not a terminal', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout).not.toContain(ESC);
  });

  it('FORCE_COLOR turns it on for pipes', async () => {
    const result = await runCli(['--help'], { env: { FORCE_COLOR: '1' } });
    expect(result.stdout).toContain(`${ESC}1m`);
  });

  it('NO_COLOR wins over FORCE_COLOR, on stdout and stderr', async () => {
    const help = await runCli(['--help'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(help.stdout).not.toContain(ESC);
    const failure = await runCli(['nope'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(failure.stderr).toContain('Error: unknown command');
    expect(failure.stderr).not.toContain(ESC);
  });
});
