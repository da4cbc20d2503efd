export { crdManifest, PRINTER_COLUMNS, TOML_SCHEMA_ID, tomlJsonSchema } from './generate';
export type { FieldMeta } from './meta';
export * from './schema';
