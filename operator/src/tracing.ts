// OpenTelemetry tracing of reconciles (operator.md §1.1, §1.6), on only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// This module holds no OpenTelemetry import: the SDK and the gRPC exporter live in ./tracing-sdk, loaded with
// a dynamic import() by initTracing(). With the endpoint unset nothing of it is evaluated and a reconcile pays
// one `undefined` check (reconcileTracer()).
import type { Logger } from './log';

export const DEFAULT_SERVICE_NAME = 'reinhardt-cloud-operator';
export const DEFAULT_SAMPLER_RATIO = 0.1;
/** The control plane sets it on deploy so that the deploy and its reconciles are one trace; never written here. */
export const TRACEPARENT_ANNOTATION = 'reinhardt.io/traceparent';

export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export interface TracingConfig {
  /** OTLP/gRPC collector address, e.g. `http://otel-collector:4317`. */
  endpoint: string;
  serviceName: string;
  sampler: SamplerName;
  /** Ratio for the `*traceidratio` samplers, 0..1. */
  ratio: number;
}

export interface TracingEnv {
  config: TracingConfig | undefined;
  /** Invalid values that were replaced by their defaults (logged as warnings, never fatal). */
  warnings: string[];
}

/** Reads the OTEL_* variables; `config` is undefined (tracing off) when OTEL_EXPORTER_OTLP_ENDPOINT is unset or blank. */
export function tracingConfigFromEnv(env: Record<string, string | undefined>): TracingEnv {
  const warnings: string[] = [];
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ?? '';
  if (!endpoint) return { config: undefined, warnings };
  if (!/^https?:\/\/[^/\s]+/i.test(endpoint)) {
    warnings.push(
      `OTEL_EXPORTER_OTLP_ENDPOINT=${JSON.stringify(endpoint)} is not an http:// or https:// URL (expected e.g. http://otel-collector:4317); tracing is off`,
    );
    return { config: undefined, warnings };
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME;

  let sampler: SamplerName = 'parentbased_traceidratio';
  const samplerRaw = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() ?? '';
  if (samplerRaw) {
    if ((SAMPLERS as readonly string[]).includes(samplerRaw)) sampler = samplerRaw as SamplerName;
    else
      warnings.push(
        `OTEL_TRACES_SAMPLER=${JSON.stringify(env.OTEL_TRACES_SAMPLER)} is not one of ${SAMPLERS.join(', ')}; using parentbased_traceidratio`,
      );
  }

  let ratio = DEFAULT_SAMPLER_RATIO;
  const ratioRaw = env.OTEL_TRACES_SAMPLER_ARG?.trim() ?? '';
  if (ratioRaw) {
    const parsed = Number(ratioRaw);
    if (Number.isFinite(parsed) && parsed >= 0 && parsed <= 1) ratio = parsed;
    else
      warnings.push(
        `OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(env.OTEL_TRACES_SAMPLER_ARG)} is not a number between 0 and 1; using ${DEFAULT_SAMPLER_RATIO}`,
      );
  }
  return { config: { endpoint, serviceName, sampler, ratio }, warnings };
}

/** What a reconcile needs to know to open its span. */
export interface ReconcileTarget {
  namespace: string;
  name: string;
  /** The Project's annotations (the W3C parent comes from TRACEPARENT_ANNOTATION). */
  annotations: Record<string, string> | undefined;
}

/** Log fields joining a reconcile's log records to its span. */
export interface ReconcileTraceFields {
  trace_id: string;
  span_id: string;
  reconcile_id: string;
}

export interface ReconcileTracer {
  /** Runs `fn` inside span `operator.reconcile`; the span ends (with error status on a throw) when `fn` settles. */
  run<T>(target: ReconcileTarget, fn: (fields: ReconcileTraceFields) => Promise<T>): Promise<T>;
  /** Exports the spans still buffered and stops the exporter. */
  shutdown(): Promise<void>;
}

let active: ReconcileTracer | undefined;

/** The tracer when tracing is on, else undefined: the only per-reconcile cost of tracing being off. */
export function reconcileTracer(): ReconcileTracer | undefined {
  return active;
}

/** Starts tracing from the environment (no-op without an endpoint). Never throws: tracing is not worth a crash. */
export async function initTracing(env: Record<string, string | undefined>, log: Logger): Promise<void> {
  const { config, warnings } = tracingConfigFromEnv(env);
  for (const warning of warnings) log.warn(warning);
  if (!config) {
    log.info('tracing off (OTEL_EXPORTER_OTLP_ENDPOINT not set)', { tracing: false });
    return;
  }
  try {
    const { createReconcileTracer } = await import('./tracing-sdk');
    active = createReconcileTracer(config);
    log.info('tracing on: exporting spans over OTLP/gRPC', {
      tracing: true,
      endpoint: config.endpoint,
      serviceName: config.serviceName,
      sampler: config.sampler,
      samplerRatio: config.ratio,
    });
  } catch (error) {
    log.error('tracing could not start; continuing without it', { error });
  }
}

/** Flushes and stops tracing on graceful shutdown, waiting at most `timeoutMs` for the collector. */
export async function shutdownTracing(log: Logger, timeoutMs = 5000): Promise<void> {
  const tracer = active;
  if (!tracer) return;
  active = undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([tracer.shutdown().then(() => 'flushed' as const), timeout]);
    if (outcome === 'timeout')
      log.warn('tracing: collector did not take the last spans in time', { timeoutMs });
  } catch (error) {
    log.warn('tracing: flushing the last spans failed', { error });
  } finally {
    clearTimeout(timer);
  }
}
