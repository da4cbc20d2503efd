// Project detection, `init` generation and `sync` merging. Pure functions: callers pass file contents in.
export { detectProject } from './detect';
export { generateToml } from './generate';
export { type IntrospectDocument, introspectDocument } from './spec-introspect';
export { type SyncResult, syncToml } from './sync';
export type {
  DatabaseEngine,
  DetectDiagnostic,
  Detection,
  DetectOptions,
  GeneratedConfig,
  IntrospectInput,
  ProjectFiles,
  SettingsDatabase,
  SettingsSummary,
  Signals,
} from './types';
