// Field documentation shared by the TOML and CRD schemas. Everything a human reads about a field (hover,
// completion, JSON Schema, CRD descriptions) is written once, here or beside the field, via zod `.meta()`.
import * as z from 'zod';

/** Extra keys we put into zod `.meta()`; the generators translate or drop them. */
export interface FieldMeta {
  description: string;
  /** The Project spec field a TOML key maps to, e.g. `spec.services.tls.secret_name`. `null`: TOML only. */
  crdPath?: string | null;
  /** Default applied at run time by the operator (not by parsing); documentation only. */
  runtimeDefault?: unknown;
  /** Bounds the API server enforces (CRD) and editors check (JSON Schema); semantic rules report them too. */
  minimum?: number;
  maximum?: number;
  /** OpenAPI format for the CRD, e.g. `int32`, `int64`. */
  format?: string;
  /** Short per-value docs for enums, shown in completion. */
  enumDescriptions?: Record<string, string>;
  /** A markdown example shown on hover. */
  example?: string;
}

export const MIN_INT32 = -2147483648;
export const MAX_INT32 = 2147483647;

export const str = (description: string, extra: Omit<FieldMeta, 'description'> = {}) =>
  z.string().meta({ description, ...extra });

export const int32 = (description: string, extra: Omit<FieldMeta, 'description'> = {}) =>
  z
    .number()
    .int()
    .meta({ description, format: 'int32', ...extra });

export const int64 = (description: string, extra: Omit<FieldMeta, 'description'> = {}) =>
  z
    .number()
    .int()
    .meta({ description, format: 'int64', ...extra });

export const bool = (description: string, extra: Omit<FieldMeta, 'description'> = {}) =>
  z.boolean().meta({ description, ...extra });

export const stringMap = (description: string, extra: Omit<FieldMeta, 'description'> = {}) =>
  z.record(z.string(), z.string()).meta({ description, ...extra });

export const stringList = (description: string, extra: Omit<FieldMeta, 'description'> = {}) =>
  z.array(z.string()).meta({ description, ...extra });
