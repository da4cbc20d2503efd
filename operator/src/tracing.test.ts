import { describe, expect, it } from 'vitest';
import { createLogger } from './log';
import {
  DEFAULT_SAMPLER_RATIO,
  DEFAULT_SERVICE_NAME,
  initTracing,
  reconcileTracer,
  TRACEPARENT_ANNOTATION,
  tracingConfigFromEnv,
} from './tracing';
import { createReconcileTracer } from './tracing-sdk';

describe('tracing configuration from OTEL_* variables', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT (unset or blank)', () => {
    expect(tracingConfigFromEnv({})).toEqual({ config: undefined, warnings: [] });
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_SERVICE_NAME: 'x' })).toEqual({
      config: undefined,
      warnings: [],
    });
  });

  it('defaults the service name and a parent-based 0.1 ratio sampler', () => {
    const { config, warnings } = tracingConfigFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: ' http://collector:4317 ',
    });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      endpoint: 'http://collector:4317',
      serviceName: DEFAULT_SERVICE_NAME,
      sampler: 'parentbased_traceidratio',
      ratio: DEFAULT_SAMPLER_RATIO,
    });
    expect(DEFAULT_SERVICE_NAME).toBe('reinhardt-cloud-operator');
    expect(DEFAULT_SAMPLER_RATIO).toBe(0.1);
  });

  it('reads service name, sampler (case-insensitive) and ratio', () => {
    const { config, warnings } = tracingConfigFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.test:4317',
      OTEL_SERVICE_NAME: 'op-eu',
      OTEL_TRACES_SAMPLER: 'TraceIdRatio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      endpoint: 'https://otel.example.test:4317',
      serviceName: 'op-eu',
      sampler: 'traceidratio',
      ratio: 0.25,
    });
  });

  it('replaces an unknown sampler or out-of-range ratio by the default, with a warning naming the variable', () => {
    const { config, warnings } = tracingConfigFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
    });
    expect(config?.sampler).toBe('parentbased_traceidratio');
    expect(config?.ratio).toBe(0.1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('OTEL_TRACES_SAMPLER="sometimes"');
    expect(warnings[0]).toContain('parentbased_always_on');
    expect(warnings[1]).toContain('OTEL_TRACES_SAMPLER_ARG="1.5"');
    expect(
      tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'h', OTEL_TRACES_SAMPLER_ARG: 'abc' }).config,
    ).toBe(undefined);
  });

  it('turns tracing off, with a warning, for an endpoint that is not an http(s) URL', () => {
    const { config, warnings } = tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' });
    expect(config).toBeUndefined();
    expect(warnings[0]).toContain('OTEL_EXPORTER_OTLP_ENDPOINT="collector:4317"');
    expect(warnings[0]).toContain('http://otel-collector:4317');
  });
});

describe('initTracing without an endpoint', () => {
  it('logs that tracing is off and leaves no tracer for reconciles', async () => {
    const lines: string[] = [];
    await initTracing({}, createLogger({ write: (l) => lines.push(l) }));
    expect(reconcileTracer()).toBeUndefined();
    expect(lines.map((l) => JSON.parse(l).message)).toEqual([
      'tracing off (OTEL_EXPORTER_OTLP_ENDPOINT not set)',
    ]);
  });
});

describe('the reconcile span (real SDK, sampled out so nothing is exported)', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parentSpanId = '00f067aa0ba902b7';
  const tracer = createReconcileTracer({
    endpoint: 'http://127.0.0.1:9',
    serviceName: 'unit',
    sampler: 'always_off',
    ratio: 0.1,
  });

  it('continues the trace of the traceparent annotation and hands ids to the logs', async () => {
    const fields = await tracer.run(
      {
        namespace: 'ns',
        name: 'shop',
        annotations: { [TRACEPARENT_ANNOTATION]: `00-${traceId}-${parentSpanId}-01` },
      },
      async (f) => f,
    );
    expect(fields.trace_id).toBe(traceId);
    expect(fields.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(fields.span_id).not.toBe(parentSpanId);
    expect(fields.reconcile_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('starts a new trace for a missing or malformed traceparent, and rethrows the reconcile error', async () => {
    const own = await tracer.run({ namespace: 'ns', name: 'a', annotations: undefined }, async (f) => f);
    const malformed = await tracer.run(
      { namespace: 'ns', name: 'a', annotations: { [TRACEPARENT_ANNOTATION]: 'not-a-traceparent' } },
      async (f) => f,
    );
    expect(own.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(malformed.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([own.trace_id, malformed.trace_id, traceId]).size).toBe(3);
    await expect(
      tracer.run({ namespace: 'ns', name: 'a', annotations: undefined }, async () => {
        throw new Error('apply failed');
      }),
    ).rejects.toThrow('apply failed');
    await tracer.shutdown();
  });
});
