export { type CompileResult, compileProject } from './compile';
export {
  type BuildOptions,
  buildProject,
  parseIntrospect,
  projectToTomlConfig,
  stripAbsent,
  tomlConfigToSpecInput,
} from './project';
