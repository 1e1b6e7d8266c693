/** Seed data for the local account: the seed-file format, the default sandbox seed and the loader. */
export { parseSeed, SeedError, seedSchema, type Seed } from './seed-schema';
export { parseSeedText, readSeedFile } from './read-seed';
export { defaultSandboxSeed } from './default-seed';
export { loadSeed, seedSandbox, type SeedResult, type SeededOrder } from './load-seed';
