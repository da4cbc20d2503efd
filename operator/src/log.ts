// Structured logs: one JSON object per line on stderr (`REINHARDT_LOG_FORMAT=json`, the default in the chart)
// or `time level message key=value` text. A dozen lines instead of a logging library: the operator logs a
// handful of records per reconcile and needs no transports, redaction or child-logger trees.

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: Level;
  json?: boolean;
  write?: (line: string) => void;
}

function errorFields(value: unknown): unknown {
  if (value instanceof Error) return { message: value.message, name: value.name };
  return value;
}

export function createLogger(options: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const json = options.json ?? true;
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    if (RANK[level] < min) return;
    const merged: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(fields)) merged[k] = errorFields(v);
    const timestamp = new Date().toISOString();
    if (json) {
      write(JSON.stringify({ timestamp, level, message, target: 'reinhardt_cloud_operator', ...merged }));
    } else {
      const kv = Object.entries(merged)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      write(`${timestamp} ${level.toUpperCase()} ${message}${kv ? ` ${kv}` : ''}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}
