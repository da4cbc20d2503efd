// The OpenTelemetry SDK side of ./tracing, loaded only through its dynamic import() when tracing is on.
// A BasicTracerProvider with a batching OTLP/gRPC exporter; no global registration and no auto-instrumentation:
// the operator's one span is `operator.reconcile`, opened explicitly by the controller.
import { randomUUID } from 'node:crypto';
import { defaultTextMapGetter, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import {
  type ReconcileTarget,
  type ReconcileTraceFields,
  type ReconcileTracer,
  TRACEPARENT_ANNOTATION,
  type TracingConfig,
} from './tracing';

function samplerFor(config: TracingConfig): Sampler {
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.ratio) });
  }
}

function endWithError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

export function createReconcileTracer(config: TracingConfig): ReconcileTracer {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: samplerFor(config),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint }))],
  });
  const tracer = provider.getTracer('reinhardt-cloud-operator');
  const propagator = new W3CTraceContextPropagator();

  return {
    async run<T>(target: ReconcileTarget, fn: (fields: ReconcileTraceFields) => Promise<T>): Promise<T> {
      const traceparent = target.annotations?.[TRACEPARENT_ANNOTATION];
      // An unparsable traceparent extracts to no span context: the reconcile then starts a trace of its own.
      const parent = traceparent
        ? propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter)
        : ROOT_CONTEXT;
      const reconcileId = randomUUID();
      const span = tracer.startSpan(
        'operator.reconcile',
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            resource_kind: 'Project',
            resource_namespace: target.namespace,
            resource_name: target.name,
            reconcile_id: reconcileId,
          },
        },
        parent,
      );
      const { traceId, spanId } = span.spanContext();
      try {
        return await fn({ trace_id: traceId, span_id: spanId, reconcile_id: reconcileId });
      } catch (error) {
        endWithError(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
    shutdown: () => provider.shutdown(),
  };
}
