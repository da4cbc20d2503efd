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

/** An ingress host as it goes into an Ingress rule: trimmed, trailing dot removed, lowercased. */
export function normalizeIngressHost(host: string): string {
  return host.trim().replace(/\.$/, '').toLowerCase();
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What the API server requires of an Ingress rule host: a DNS-1123 subdomain that is not an IP address. */
export function isIngressHostName(normalized: string): boolean {
  return normalized.length <= 253 && DNS_SUBDOMAIN.test(normalized) && !isIpv4(normalized);
}

/** Why an ingress host cannot go into an Ingress rule; undefined when it can. */
export function ingressHostProblem(host: string): string | undefined {
  const normalized = normalizeIngressHost(host);
  if (normalized.includes('*'))
    return `services.ingress_host '${host}' must not use Kubernetes wildcard host syntax`;
  if (!isIngressHostName(normalized)) {
    return `services.ingress_host '${host}' is not a valid DNS host name; use letters, digits, '-' and '.' only, without scheme, port or path (e.g. app.example.com)`;
  }
  return undefined;
}
