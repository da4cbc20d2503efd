// Public API of @reinhardt-cloud/core. Each area re-exports from its own folder; keep this file a list.
export * from './diagnostics';
