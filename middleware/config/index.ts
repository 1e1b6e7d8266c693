export { loadConfig, baseUrl, baseUrlOverrides, ConfigError, ENV_VARS } from './load-config';
export type { LoadConfigOptions, Mode } from './load-config';
export { configSchema, masterKeySchema } from './schema';
export type { Config, DatabaseConfig } from './schema';
