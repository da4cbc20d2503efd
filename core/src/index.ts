// Public API of @reinhardt-cloud/core. Each area re-exports from its own folder; keep this file a list.

export * from './build';
export * from './crd';
export * from './detect';
export * from './diagnostics';
export * from './render';
export * from './rules';
export * from './toml';
