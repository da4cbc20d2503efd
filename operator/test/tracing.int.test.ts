// Tracing end to end: the operator bundle against the simulated cluster, exporting over OTLP/gRPC to a real
// gRPC server in this test (@grpc/grpc-js), whose request bytes are decoded here from the protobuf wire format.
import { randomBytes } from 'node:crypto';
import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { KubeObject } from '@reinhardt-cloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../src/kube';
import {
  applyProject,
  child,
  createNamespace,
  deleteNamespace,
  ensureClusterUp,
  installCrd,
  type OperatorProcess,
  projectObject,
  startOperator,
  TEST_RUN_LABEL,
  uniqueName,
  waitFor,
} from './harness';

// --- A minimal OTLP trace receiver --------------------------------------------------------------------------

/** Protobuf fields of one message: field number to its values (varints as bigint, length-delimited as bytes). */
type Fields = Map<number, (bigint | Buffer)[]>;

function decodeMessage(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const field = tag >>> 3;
    let value: bigint | Buffer;
    switch (tag & 7) {
      case 0:
        value = varint();
        break;
      case 1:
        value = buf.subarray(pos, pos + 8);
        pos += 8;
        break;
      case 2: {
        const length = Number(varint());
        value = buf.subarray(pos, pos + length);
        pos += length;
        break;
      }
      case 5:
        value = buf.subarray(pos, pos + 4);
        pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${tag & 7}`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const bytesOf = (fields: Fields, n: number): Buffer[] => (fields.get(n) ?? []) as Buffer[];
const stringOf = (fields: Fields, n: number): string => bytesOf(fields, n)[0]?.toString('utf8') ?? '';
const hexOf = (fields: Fields, n: number): string => bytesOf(fields, n)[0]?.toString('hex') ?? '';

/** KeyValue{1 key, 2 AnyValue{1 string_value}}: string attributes only (the operator sets no others). */
function attributesOf(fields: Fields, n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of bytesOf(fields, n).map(decodeMessage)) {
    const value = bytesOf(kv, 2)[0];
    out[stringOf(kv, 1)] = value ? stringOf(decodeMessage(value), 1) : '';
  }
  return out;
}

interface ReceivedSpan {
  serviceName: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, string>;
}

/** ExportTraceServiceRequest{1 ResourceSpans{1 Resource{1 attrs}, 2 ScopeSpans{2 Span}}}. */
function decodeExportRequest(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of bytesOf(decodeMessage(body), 1).map(decodeMessage)) {
    const resource = bytesOf(resourceSpans, 1)[0];
    const serviceName = resource ? (attributesOf(decodeMessage(resource), 1)['service.name'] ?? '') : '';
    for (const scopeSpans of bytesOf(resourceSpans, 2).map(decodeMessage)) {
      for (const span of bytesOf(scopeSpans, 2).map(decodeMessage)) {
        spans.push({
          serviceName,
          traceId: hexOf(span, 1),
          spanId: hexOf(span, 2),
          parentSpanId: hexOf(span, 4),
          name: stringOf(span, 5),
          attributes: attributesOf(span, 9),
        });
      }
    }
  }
  return spans;
}

async function startReceiver(): Promise<{ port: number; spans: ReceivedSpan[]; close: () => Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const raw = (b: Buffer) => b;
  const definition: ServiceDefinition = {
    Export: {
      path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      requestStream: false,
      responseStream: false,
      requestSerialize: raw,
      requestDeserialize: raw,
      responseSerialize: raw,
      responseDeserialize: raw,
    },
  };
  const implementation: UntypedServiceImplementation = {
    Export: (call: { request: Buffer }, callback: (error: Error | null, response: Buffer) => void) => {
      spans.push(...decodeExportRequest(call.request));
      callback(null, Buffer.alloc(0)); // an empty ExportTraceServiceResponse: everything accepted
    },
  };
  const server = new Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  return { port, spans, close: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

// --- The tests ----------------------------------------------------------------------------------------------

let admin: KubeClient;
let kubeconfig: string;
let namespace: string;
let run: string;
let operator: OperatorProcess | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

function operatorEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${run}`,
    REINHARDT_CLOUD_LEASE_NAMESPACE: namespace,
    // Debug: the per-object `Applied ...` records are the reconcile's log lines to check for trace fields.
    REINHARDT_LOG_LEVEL: 'debug',
    ...extra,
  };
}

function containerEnv(deployment: KubeObject): { name: string; value?: string }[] {
  const spec = (
    deployment.spec as {
      template: {
        spec: { containers?: { env?: { name: string; value?: string }[] }[]; initContainers?: [] };
      };
    }
  ).template.spec;
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].flatMap(
    (c: { env?: { name: string; value?: string }[] }) => c.env ?? [],
  );
}

beforeAll(async () => {
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  namespace = await createNamespace(admin, 'operator-tracing');
  run = uniqueName('run');
  receiver = await startReceiver();
});

afterAll(async () => {
  await operator?.stop();
  await receiver?.close();
  if (namespace) await deleteNamespace(admin, namespace);
});

describe('with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  const name = 'traced';
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  const traceparent = `00-${traceId}-${parentSpanId}-01`;

  it('exports operator.reconcile as a child of the reinhardt.io/traceparent context, joined to the logs', async () => {
    // A batch delay longer than the test: the spans reach the receiver only through the flush on graceful stop.
    operator = await startOperator(
      kubeconfig,
      operatorEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver?.port}`,
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      }),
    );
    expect(operator.records().some((r) => r.message === 'tracing on: exporting spans over OTLP/gRPC')).toBe(
      true,
    );

    const project = projectObject(namespace, name, run, { image: 'registry.example.test/traced:1.0.0' });
    project.metadata.annotations = { 'reinhardt.io/traceparent': traceparent };
    await applyProject(admin, project);
    const deployment = await waitFor('the web Deployment', () => child(admin, 'Deployment', namespace, name));
    expect(receiver?.spans).toEqual([]);
    expect(await operator.stop()).toBe(0);
    const records = operator.records();
    operator = undefined;

    const spans = (receiver?.spans ?? []).filter(
      (s) =>
        s.name === 'operator.reconcile' &&
        s.attributes.resource_namespace === namespace &&
        s.attributes.resource_name === name,
    );
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) {
      expect(span.serviceName).toBe('reinhardt-cloud-operator');
      expect(span.traceId).toBe(traceId);
      expect(span.parentSpanId).toBe(parentSpanId);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.attributes).toEqual({
        resource_kind: 'Project',
        resource_namespace: namespace,
        resource_name: name,
        reconcile_id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
      });
    }

    // Every log record of the Project's reconciles names one of those spans, its trace and its reconcile_id.
    const reconcileLogs = records.filter((r) => r.project === `${namespace}/${name}`);
    expect(reconcileLogs.map((r) => r.message)).toContain(`Applied Deployment ${namespace}/${name}`);
    for (const record of reconcileLogs) {
      expect(record.trace_id).toBe(traceId);
      const span = spans.find((s) => s.spanId === record.span_id);
      expect(span, `span ${String(record.span_id)} of log record ${String(record.message)}`).toBeDefined();
      expect(record.reconcile_id).toBe(span?.attributes.reconcile_id);
    }

    // No trace context in the workload, and the annotation is left as the control plane wrote it. The app's
    // own telemetry pair (operator.md §5.14: OTEL_PROPAGATORS, OTEL_SERVICE_NAME=<n>) is all of OTEL_* it gets:
    // not the operator's endpoint, sampler or service name.
    const env = containerEnv(deployment);
    expect(env.filter((e) => /^otel_/i.test(e.name))).toEqual([
      { name: 'OTEL_PROPAGATORS', value: 'tracecontext' },
      { name: 'OTEL_SERVICE_NAME', value: name },
    ]);
    expect(env.filter((e) => /traceparent|tracestate/i.test(e.name))).toEqual([]);
    expect(JSON.stringify(deployment)).not.toContain(`127.0.0.1:${receiver?.port}`);
    expect(env.map((e) => e.value)).not.toContain('reinhardt-cloud-operator');
    expect(JSON.stringify(deployment)).not.toContain(traceId);
    expect(JSON.stringify(deployment).toLowerCase()).not.toContain('traceparent');
    const stored = await child(admin, 'Project', namespace, name);
    expect(stored?.metadata.annotations?.['reinhardt.io/traceparent']).toBe(traceparent);
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('loads no tracing SDK and adds no trace fields to reconcile logs', async () => {
    const exported = receiver?.spans.length ?? 0;
    operator = await startOperator(kubeconfig, operatorEnv({ OTEL_TRACES_SAMPLER: 'always_on' }));
    const name = 'untraced';
    await applyProject(
      admin,
      projectObject(namespace, name, run, { image: 'registry.example.test/untraced:1.0.0' }),
    );
    await waitFor('the web Deployment', () => child(admin, 'Deployment', namespace, name));
    const records = operator.records();
    expect(records.filter((r) => r.tracing !== undefined).map((r) => [r.message, r.tracing])).toEqual([
      ['tracing off (OTEL_EXPORTER_OTLP_ENDPOINT not set)', false],
    ]);
    const reconcileLogs = records.filter((r) => r.project === `${namespace}/${name}`);
    expect(reconcileLogs.map((r) => r.message)).toContain(`Applied Deployment ${namespace}/${name}`);
    expect(reconcileLogs.filter((r) => 'trace_id' in r || 'span_id' in r || 'reconcile_id' in r)).toEqual([]);
    expect(await operator.stop()).toBe(0);
    operator = undefined;
    expect(receiver?.spans.length ?? 0).toBe(exported);
  });
});
