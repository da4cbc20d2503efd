export { analyzeToml, specPathToTomlPath, type TomlAnalysis } from './analyze';
export { describeTomlPath, type TomlKeyDescription, type TomlValueType } from './describe';
export {
  formatPath,
  type Location,
  type LocationIndex,
  parsePath,
  type TomlCursor,
  tomlPathAt,
} from './locate';
export {
  TOML_DATABASE_ENGINES,
  TOML_SCALE_METRICS,
  type TomlConfig,
  type TomlConfigInput,
  tomlConfigSchema,
} from './schema';
export { closest } from './suggest';
