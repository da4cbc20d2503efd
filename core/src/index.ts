// Public API of @reinhardt-cloud/core. Each area re-exports from its own folder; keep this file a list.
export * from './diagnostics';
export * from './render';
export * from './detect';
export * from './crd';
export * from './toml';
export * from './rules';
export * from './build';
