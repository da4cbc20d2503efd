export * from './build';
export { CACHE_PROVIDER_ENV, cloudCacheId, ELASTICACHE, MEMORYSTORE } from './cache';
export { normalizeHost, parseHostSuffixes } from './checks';
export {
  childSelector,
  DATA_LABEL,
  FINALIZER,
  MANAGED_BY,
  MIGRATION_GENERATION_ANNOTATION,
  MIGRATION_RETRY_ANNOTATION,
  MIGRATION_REVISION_LABEL,
  OWNER_LABEL,
  ownerLabelValue,
} from './names';
export * from './namespace';
export * from './preview';
export { objectKey, render } from './render';
export type * from './types';
