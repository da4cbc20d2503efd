// Manifest output: YAML or JSON, with absent optionals removed rather than printed as null.

/** Removes `null`/`undefined` map entries recursively (the original CLI does the same before printing). */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry === null || entry === undefined) continue;
      result[key] = stripNulls(entry);
    }
    return result;
  }
  return value;
}

export async function formatDocument(value: unknown, format: 'yaml' | 'json'): Promise<string> {
  const clean = stripNulls(value);
  if (format === 'json') return `${JSON.stringify(clean, null, 2)}\n`;
  const { stringify } = await import('yaml');
  return stringify(clean, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function outputFormat(value: string | boolean | undefined): 'yaml' | 'json' {
  return value === 'json' ? 'json' : 'yaml';
}
