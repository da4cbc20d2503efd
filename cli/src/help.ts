import { helpOption } from './args';
import type { Palette } from './color';
import { type CommandSpec, commands, type OptionSpec } from './spec';

function optionRows(options: Record<string, OptionSpec>): [string, string][] {
  return Object.entries({ ...options, help: helpOption }).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '    ';
    const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
    const notes: string[] = [];
    if (option.choices) notes.push(`one of: ${option.choices.join(', ')}`);
    if (option.defaultText) notes.push(`default: ${option.defaultText}`);
    const description = notes.length > 0 ? `${option.description} (${notes.join('; ')})` : option.description;
    return [`${short}--${name}${value}`, description];
  });
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

export function commandHelp(command: CommandSpec, color: Palette): string {
  const lines = [
    `${color.bold(`reinhardt-cloud ${command.name}`)} — ${command.summary}`,
    '',
    `${color.bold('Usage:')} reinhardt-cloud ${command.usage}`,
    '',
    command.description,
    '',
    color.bold('Options:'),
    ...table(optionRows(command.options)),
    '',
    color.bold('Examples:'),
    ...command.examples.map((example) => `  ${example}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function mainHelp(version: string, color: Palette): string {
  const rows: [string, string][] = commands.map((command) => [command.name, command.summary]);
  rows.push(['help', 'Show help for a command']);
  const lines = [
    `${color.bold('reinhardt-cloud')} ${version} — deploy Reinhardt web apps to Kubernetes`,
    '',
    `${color.bold('Usage:')} reinhardt-cloud <command> [options]`,
    '',
    color.bold('Commands:'),
    ...table(rows),
    '',
    color.bold('Options:'),
    ...table([
      ['-h, --help', 'show help (also `reinhardt-cloud help <command>`)'],
      ['-V, --version', 'print the version'],
    ]),
    '',
    color.bold('Environment:'),
    ...table([
      ['NO_COLOR', 'disable colors (also off when output is not a terminal)'],
      ['REINHARDT_ENV', 'settings profile read by init/sync (default: production)'],
      ['REINHARDT_CLOUD_DEBUG=1', 'print stack traces for unexpected errors'],
    ]),
    '',
    'Exit codes: 0 success, 1 the command found a problem, 2 usage or I/O error.',
  ];
  return `${lines.join('\n')}\n`;
}
