// Test tiers by file name: *.unit.test.ts (fast, pure), *.integration.test.ts (real PGlite/PostgreSQL, HTTP on
// loopback, compiled SuiteScripts in the emulator), *.e2e.test.ts (the whole sandbox). `npm test` runs all three.
// @swc/jest transpiles TypeScript; jose and pg-boss ship ESM only, so they are transformed too.
'use strict';

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  // PGlite's CommonJS build loads Node built-ins with import(), which jest's VM refuses without
  // --experimental-vm-modules; transpiling it turns those into require().
  // pg-boss's own ESM-only dependencies (serialize-error → non-error, rrule-temporal) need the same.
  transformIgnorePatterns: ['/node_modules/(?!(jose|pg-boss|serialize-error|non-error|rrule-temporal|@electric-sql/pglite)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/src/FileCabinet/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.unit.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/**/*.integration.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
