// Argument parsing on node:util parseArgs (no dependency, Node 20 compatible). parseArgs runs in
// non-strict mode so that every mistake can be reported in our own words, with a suggestion.
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import type { CommandSpec, OptionSpec, OptionValues } from './spec';
import { closest } from './suggest';

export const helpOption: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

export interface ParsedCommandArgs {
  values: OptionValues;
  positionals: string[];
  help: boolean;
}

function flagName(name: string, option: OptionSpec): string {
  return option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`;
}

export function parseCommandArgs(command: CommandSpec, args: string[]): ParsedCommandArgs {
  const specs: Record<string, OptionSpec> = { ...command.options, help: helpOption };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, option] of Object.entries(specs)) {
    options[name] = option.short ? { type: option.type, short: option.short } : { type: option.type };
  }
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const knownFlags = Object.keys(specs).map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = specs[token.name];
    if (!option) {
      const suggestion = closest(token.rawName, knownFlags);
      throw new UsageError(
        `unknown option \`${token.rawName}\` for \`${command.name}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
        command.name,
      );
    }
    if (option.type === 'string') {
      const missing =
        token.value === undefined ||
        (!token.inlineValue && token.value.startsWith('-') && token.value !== '-');
      if (missing)
        throw new UsageError(`option \`${flagName(token.name, option)}\` needs a value.`, command.name);
    } else if (token.inlineValue) {
      throw new UsageError(`option \`--${token.name}\` does not take a value.`, command.name);
    }
  }

  for (const [name, option] of Object.entries(specs)) {
    const value = values[name];
    if (option.choices && typeof value === 'string' && !option.choices.includes(value)) {
      const suggestion = closest(value, option.choices);
      throw new UsageError(
        `invalid value \`${value}\` for \`--${name}\`: expected one of ${option.choices.join(', ')}.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
        command.name,
      );
    }
  }

  const allowed = command.positionals ?? [];
  positionals.forEach((value, index) => {
    const positional = allowed[index];
    if (!positional) {
      throw new UsageError(`unexpected argument \`${value}\` for \`${command.name}\`.`, command.name);
    }
    if (positional.choices && !positional.choices.includes(value)) {
      const suggestion = closest(value, positional.choices);
      throw new UsageError(
        `unexpected argument \`${value}\` for \`${command.name}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
        command.name,
      );
    }
  });

  const { help, ...rest } = values;
  return { values: rest as OptionValues, positionals, help: help === true };
}

/** The string value of an option, or undefined when absent. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** A non-negative integer flag value, with a usage error naming the flag when it is not one. */
export function integerOption(
  values: OptionValues,
  name: string,
  command: string,
  limits: { min?: number; max?: number } = {},
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const min = limits.min ?? 0;
  const max = limits.max ?? 2_147_483_647;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(
      `invalid value \`${raw}\` for \`--${name}\`: expected an integer from ${min} to ${max}.`,
      command,
    );
  }
  return Number(raw);
}
