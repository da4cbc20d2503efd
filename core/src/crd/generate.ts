// The two schema generators. Both start from zod 4's built-in `z.toJSONSchema` of the one model and then
// translate our `.meta()` keys into what each consumer understands:
// - tomlJsonSchema(): JSON Schema (draft-07) for editors, with `x-taplo` hints for Even Better TOML.
// - crdManifest(): the apiextensions.k8s.io/v1 CRD with a structural OpenAPI v3 schema (no $ref, no
//   additionalProperties:false, preserve-unknown-fields only for introspect) plus CEL rules.
// No I/O: the checked-in files in schemas/ are written by schemas/schemas.test.ts.
import * as z from 'zod';
import { CLUSTER_ISSUER_MESSAGE } from '../rules/tls-cluster-issuer-forbidden';
import { tomlConfigSchema } from '../toml/schema';
import {
  DNS_RECORD_TYPES,
  INSTANCE_CLASSES,
  PROJECT_CRD_NAME,
  PROJECT_GROUP,
  PROJECT_KIND,
  PROJECT_PLURAL,
  PROJECT_SINGULAR,
  PROJECT_VERSION,
  projectSpecSchema,
  projectStatusSchema,
} from './schema';

type JsonObject = { [key: string]: unknown };

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** zod's default bounds for `.int()`; meaningless to a reader, so dropped. */
const isSafeIntBound = (v: unknown) => v === Number.MAX_SAFE_INTEGER || v === Number.MIN_SAFE_INTEGER;

function mapSchema(node: unknown, visit: (n: JsonObject, path: string) => JsonObject, path = ''): unknown {
  if (Array.isArray(node)) return node.map((n) => mapSchema(n, visit, path));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && isObject(v)) {
      const props: JsonObject = {};
      for (const [pk, pv] of Object.entries(v)) props[pk] = mapSchema(pv, visit, path ? `${path}.${pk}` : pk);
      out[k] = props;
    } else if (k === 'items') {
      out[k] = mapSchema(v, visit, `${path}[]`);
    } else if (k === 'additionalProperties' && isObject(v)) {
      out[k] = mapSchema(v, visit, `${path}.*`);
    } else {
      out[k] = v;
    }
  }
  return visit(out, path);
}

// ---------------------------------------------------------------------------------------------------------
// JSON Schema for reinhardt-cloud.toml

export const TOML_SCHEMA_ID = 'https://reinhardt-cloud.dev/schemas/reinhardt-cloud.schema.json';

function stringifyDefault(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
}

/** JSON Schema of `reinhardt-cloud.toml`, with descriptions, defaults, enums and `x-taplo` docs. */
export function tomlJsonSchema(): JsonObject {
  const raw = z.toJSONSchema(tomlConfigSchema, { io: 'input', target: 'draft-07' }) as JsonObject;
  const schema = mapSchema(raw, (n) => {
    const out: JsonObject = { ...n };
    delete out.propertyNames;
    if (isSafeIntBound(out.minimum)) delete out.minimum;
    if (isSafeIntBound(out.maximum)) delete out.maximum;
    delete out.format; // int32/int64 are CRD notions
    const docs: JsonObject = {};
    let description = typeof out.description === 'string' ? out.description : undefined;
    if (typeof out.crdPath === 'string')
      description = `${description ?? ''}\n\nMaps to \`${out.crdPath}\`.`.trim();
    else if (out.crdPath === null && description !== undefined && !Array.isArray(out.required)) {
      description = `${description}\n\nTOML only (not part of the Project CRD).`;
    }
    if (out.runtimeDefault !== undefined && out.default === undefined) {
      docs.defaultValue = stringifyDefault(out.runtimeDefault);
    }
    if (out.default !== undefined) docs.defaultValue = stringifyDefault(out.default);
    if (isObject(out.enumDescriptions) && Array.isArray(out.enum)) {
      const d = out.enumDescriptions as Record<string, string>;
      docs.enumValues = (out.enum as string[]).map((v) => d[v] ?? '');
    }
    if (typeof out.example === 'string')
      description = `${description ?? ''}\n\nExample: \`${out.example}\``.trim();
    delete out.crdPath;
    delete out.runtimeDefault;
    delete out.enumDescriptions;
    delete out.example;
    if (description !== undefined) {
      out.description = description;
      docs.main = description;
    }
    const taplo: JsonObject = {};
    if (Object.keys(docs).length) taplo.docs = docs;
    if (out.type === 'object' && Array.isArray(out.required) && out.required.length)
      taplo.initKeys = out.required;
    if (Object.keys(taplo).length) out['x-taplo'] = taplo;
    return out;
  }) as JsonObject;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: TOML_SCHEMA_ID,
    title: 'reinhardt-cloud.toml',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

// ---------------------------------------------------------------------------------------------------------
// CRD manifest

const STRUCTURAL_KEYS = new Set([
  'type',
  'description',
  'properties',
  'items',
  'required',
  'enum',
  'default',
  'minimum',
  'maximum',
  'format',
  'additionalProperties',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'nullable',
]);

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** What the API server can enforce beyond types, by spec path (`[]` = any list item). */
const SPEC_CONSTRAINTS: Record<string, JsonObject> = {
  'database.instance_class': { enum: [...INSTANCE_CLASSES] },
  'pages.static_root': { minLength: 1 },
  'pages.server_image': { minLength: 1 },
  'pages.static_url': {
    'x-kubernetes-validations': [
      {
        rule: "self.startsWith('/') && self.endsWith('/')",
        message: "pages.static_url must start and end with '/'",
      },
    ],
  },
  'isolation.runtime_class_override': { minLength: 1 },
  'source.repository': { minLength: 1 },
  'source.branch': { minLength: 1 },
  'source.credentials_secret': { minLength: 1 },
  'source.build.dockerfile': { minLength: 1 },
  'source.build.context': { minLength: 1 },
  'source.build.registry': { minLength: 1 },
  'source.webhook.secret_ref': { minLength: 1 },
  'source.preview.ttl': { minLength: 1 },
  'source.preview.url_template': { minLength: 1 },
  'serviceAccount.name': { minLength: 1 },
  'tenant.organization': { pattern: DNS_LABEL, maxLength: 63 },
  'tenant.team': { pattern: DNS_LABEL, maxLength: 63 },
  'infrastructure.postgres.tier': { pattern: '^[A-Za-z0-9._-]+$' },
  'infrastructure.postgres.version': { pattern: '^[A-Za-z0-9._-]+$' },
  'infrastructure.buckets[].name': { pattern: '^[A-Za-z0-9_-]+$' },
  'infrastructure.dns[].host': { pattern: '^[A-Za-z0-9.-]+$' },
  'infrastructure.dns[].type': { enum: [...DNS_RECORD_TYPES] },
  'infrastructure.secrets[].name': { pattern: '^[A-Za-z0-9_-]+$' },
  'plugins[].name': { minLength: 1 },
  // No CEL for '..' here: a per-item string rule on an unbounded list exceeds the API server's cost budget
  // (found by a server-side dry run); validateProjectSpec reports it.
  'plugins[].wasm_dir': { pattern: '^/var/lib/dentdelion/.+' },
  'services.tls': {
    'x-kubernetes-validations': [
      { rule: '!has(self.cluster_issuer)', message: CLUSTER_ISSUER_MESSAGE },
      {
        rule: '!has(self.enabled) || !self.enabled || (has(self.secret_name) && size(self.secret_name) > 0)',
        message: 'services.tls.secret_name is required when services.tls.enabled is true',
      },
    ],
  },
  services: {
    'x-kubernetes-validations': [
      {
        rule: "!has(self.tls) || !has(self.tls.enabled) || !self.tls.enabled || (has(self.ingress_host) && self.ingress_host.matches('\\\\S'))",
        message: 'services.tls.enabled requires services.ingress_host',
      },
    ],
  },
  scale: {
    'x-kubernetes-validations': [
      {
        rule: '!has(self.min_replicas) || !has(self.max_replicas) || self.max_replicas >= self.min_replicas',
        message: 'scale.max_replicas must be >= scale.min_replicas',
      },
    ],
  },
  'source.webhook': {
    'x-kubernetes-validations': [
      {
        rule: '!has(self.enabled) || !self.enabled || (has(self.events) && size(self.events) > 0)',
        message: 'source.webhook.events must not be empty when webhook is enabled',
      },
    ],
  },
};

/** zod JSON Schema → structural OpenAPI v3 (apiextensions.k8s.io/v1). */
function toStructural(schema: z.ZodType, constraints: Record<string, JsonObject>): JsonObject {
  const raw = z.toJSONSchema(schema, {
    io: 'input',
    target: 'openapi-3.0',
    unrepresentable: 'any',
  }) as JsonObject;
  return mapSchema(raw, (n, path) => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(n)) if (STRUCTURAL_KEYS.has(k)) out[k] = v;
    if (isSafeIntBound(out.minimum)) delete out.minimum;
    if (isSafeIntBound(out.maximum)) delete out.maximum;
    if (out.type === 'integer' && out.format === undefined) out.format = 'int64';
    if (out.type !== 'integer' && out.type !== 'string') delete out.format;
    // `additionalProperties: {}` comes from looseObject (introspect): keep the known fields, preserve the rest.
    if (out.additionalProperties === false) delete out.additionalProperties;
    if (isObject(out.additionalProperties) && Object.keys(out.additionalProperties).length === 0) {
      delete out.additionalProperties;
      out['x-kubernetes-preserve-unknown-fields'] = true;
    }
    if (out.type === 'object' && !out.properties && !out.additionalProperties) {
      out['x-kubernetes-preserve-unknown-fields'] = true;
    }
    if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
    Object.assign(out, constraints[path] ?? {});
    return out;
  }) as JsonObject;
}

export const PRINTER_COLUMNS = [
  { name: 'Image', type: 'string', jsonPath: '.spec.image' },
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
  { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
];

/** The Project CustomResourceDefinition (crd.md §1), ready to `kubectl apply`. */
export function crdManifest(): JsonObject {
  const spec = toStructural(projectSpecSchema, SPEC_CONSTRAINTS);
  const status = toStructural(projectStatusSchema, {});
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: PROJECT_CRD_NAME },
    spec: {
      group: PROJECT_GROUP,
      names: {
        kind: PROJECT_KIND,
        listKind: `${PROJECT_KIND}List`,
        plural: PROJECT_PLURAL,
        singular: PROJECT_SINGULAR,
      },
      scope: 'Namespaced',
      versions: [
        {
          name: PROJECT_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: PRINTER_COLUMNS,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A Reinhardt application deployed by the Reinhardt Cloud operator.',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec,
                status,
              },
            },
          },
        },
      ],
    },
  };
}
