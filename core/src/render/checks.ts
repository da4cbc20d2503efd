// Rules the operator enforces at reconcile time on top of the spec validation in `rules/`: they depend on
// cluster configuration (ingress suffixes, platform) or on other objects (hosts claimed cluster-wide).

import { ingressHostProblem, normalizeIngressHost } from '../rules/checks';
import { tenantNamespace } from '../rules/tenant-namespace-invalid';
import type { RenderContext } from './context';
import { parseSecretRef } from './env';
import type { ClaimedHost, RenderConfig, RenderIssue } from './types';

/** Normalizes `REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES`: trimmed, leading dots removed, lowercased, empties dropped. */
export function parseHostSuffixes(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^\.+/, '').toLowerCase())
    .filter((s) => s !== '');
}

/** Hosts compare in the form they take in an Ingress rule (one definition, in rules/checks). */
export const normalizeHost = normalizeIngressHost;

export function explicitIngressHost(ctx: RenderContext): string | undefined {
  const host = ctx.spec.services?.ingress_host?.trim();
  return host ? host : undefined;
}

/**
 * The explicit host as it goes into the Ingress rule and TLS entry: lowercased, trailing dot removed. The API
 * server only accepts lowercase RFC 1123 names there, and the allow-list already compares this form.
 */
export function ingressRuleHost(ctx: RenderContext): string | undefined {
  const host = explicitIngressHost(ctx);
  return host ? normalizeHost(host) : undefined;
}

export function checkOperatorRules(
  ctx: RenderContext,
  config: RenderConfig,
  claimedHosts: readonly ClaimedHost[],
): RenderIssue[] {
  const issues: RenderIssue[] = [];
  const { name, namespace, spec } = ctx;

  (spec.imagePullSecrets ?? []).forEach((ref, i) => {
    if (!ref.name.startsWith(`${name}-`)) {
      issues.push({
        path: `spec.imagePullSecrets[${i}].name`,
        message: `invalid imagePullSecret '${ref.name}' for app '${name}': secret names must start with ${name}-`,
      });
    }
  });

  const ownSecret = `${name}-secrets`;
  for (const [key, value] of Object.entries(spec.env ?? {})) {
    if (!value.startsWith('secretRef:')) continue;
    const ref = parseSecretRef(value);
    if (!ref) {
      issues.push({
        path: `spec.env.${key}`,
        message: `env ${key}: malformed secret reference '${value}'; expected secretRef:${ownSecret}/<key>`,
      });
    } else if (ref.secret !== ownSecret) {
      issues.push({
        path: `spec.env.${key}`,
        message: `env ${key}: secret '${ref.secret}' is not allowed; an app may only reference its own Secret ${ownSecret}`,
      });
    }
  }

  const mailSecret = spec.mail?.credentials_secret;
  if (mailSecret && !mailSecret.startsWith(`${name}-`)) {
    issues.push({
      path: 'spec.mail.credentials_secret',
      message: `mail.credentials_secret '${mailSecret}' must start with ${name}- (an app may only read its own Secrets)`,
    });
  }

  if (spec.services?.tls?.cluster_issuer != null) {
    issues.push({
      path: 'spec.services.tls.cluster_issuer',
      message:
        'services.tls.cluster_issuer is not supported; use services.tls.issuer with a namespace-scoped Issuer',
    });
  }

  if (spec.database?.instance_class && ctx.platform === 'onpremise') {
    issues.push({
      path: 'spec.database.instance_class',
      message: 'database.instance_class is not supported for onpremise databases',
    });
  }

  const tenant = spec.tenant;
  if (tenant?.organization) {
    const expected = tenantNamespace(tenant);
    if (expected !== namespace) {
      issues.push({
        path: 'spec.tenant',
        reason: 'TenantMismatch',
        message: `tenant namespace mismatch: expected '${expected}' from spec.tenant, got '${namespace}' on metadata.namespace`,
      });
    }
  }

  const host = explicitIngressHost(ctx);
  if (host) {
    const normalized = normalizeHost(host);
    const prefix = 'invalid ingress host: ';
    const suffixes = config.ingressHostSuffixes;
    // The same check as the `ingress-host-invalid` rule: a rejected Ingress would otherwise fail the reconcile
    // after the other objects were applied, with a message about the Ingress, not the field the user wrote.
    const problem = ingressHostProblem(host);
    if (problem) {
      issues.push({ path: 'spec.services.ingress_host', message: `${prefix}${problem}` });
    } else if (suffixes && suffixes.length === 0) {
      issues.push({
        path: 'spec.services.ingress_host',
        message: `${prefix}services.ingress_host '${host}' requires REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES to declare an allowed DNS suffix`,
      });
    } else if (suffixes && !suffixes.some((s) => normalized === s || normalized.endsWith(`.${s}`))) {
      issues.push({
        path: 'spec.services.ingress_host',
        message: `${prefix}services.ingress_host '${host}' is outside the allowed DNS suffixes configured by REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES (${suffixes.join(', ')})`,
      });
    } else {
      const claim = claimedHosts.find(
        (c) => normalizeHost(c.host) === normalized && !(c.namespace === namespace && c.name === name),
      );
      if (claim) {
        issues.push({
          path: 'spec.services.ingress_host',
          message: `${prefix}services.ingress_host '${host}' is already claimed by Ingress ${claim.namespace}/${claim.name}`,
        });
      }
    }
  }
  return issues;
}
