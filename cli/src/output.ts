// Manifest output: YAML or JSON, with absent optionals removed rather than printed as null.
import { stripAbsent } from '@reinhardt-cloud/core';

export async function formatDocument(value: unknown, format: 'yaml' | 'json'): Promise<string> {
  const clean = stripAbsent(value);
  if (format === 'json') return `${JSON.stringify(clean, null, 2)}\n`;
  const { stringify } = await import('yaml');
  return stringify(clean, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function outputFormat(value: string | boolean | undefined): 'yaml' | 'json' {
  return value === 'json' ? 'json' : 'yaml';
}
