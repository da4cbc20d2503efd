// Small predicates shared by several rules. Pure string logic: no node: imports, so core runs anywhere.

export const isBlank = (value: string | undefined | null): boolean =>
  value === undefined || value === null || value.trim() === '';

/** `undefined` when absent; otherwise whether the set value is empty after trimming. */
export const isSetButBlank = (value: string | undefined | null): boolean =>
  value !== undefined && value !== null && value.trim() === '';

export const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

/** Why a string is not a DNS-1123 label, in the original's words; undefined when valid. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return `must be at most 63 characters, got ${value.length}`;
  if (!/^[a-z0-9]/.test(value)) return 'must start with a lowercase alphanumeric character';
  if (!/[a-z0-9]$/.test(value)) return 'must end with a lowercase alphanumeric character';
  if (!/^[a-z0-9-]*$/.test(value)) return 'must contain only lowercase alphanumeric characters and hyphens';
  return undefined;
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIpv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  try {
    // The WHATWG URL parser implements the full IPv6 grammar (::, embedded IPv4) without I/O.
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** `ip/prefix` with prefix ≤ 32 (IPv4) or ≤ 128 (IPv6). */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0 || slash !== value.lastIndexOf('/')) return false;
  const ip = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  if (isIpv4(ip)) return bits <= 32;
  if (isIpv6(ip)) return bits <= 128;
  return false;
}

/** Plugin volume suffix: non-alphanumerics → `-`, lowercase, trim `-`; empty → `plugin`. */
export function sanitizePluginName(name: string): string {
  const s = name
    .replace(/[^A-Za-z0-9]/g, '-')
    .toLowerCase()
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'plugin' : s;
}
