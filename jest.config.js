// Test tiers by file name: *.unit.test.ts (fast, pure), *.integration.test.ts (real PGlite/PostgreSQL, HTTP on
// loopback, compiled SuiteScripts in the emulator), *.e2e.test.ts (the whole sandbox). `npm test` runs all three.
// @swc/jest transpiles TypeScript; jose ships ESM only, so it is transformed too.
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
  transformIgnorePatterns: ['/node_modules/(?!(jose|@electric-sql/pglite)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/src/FileCabinet/'],
};

module.exports = {
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.unit.test.ts'] },
    // Integration and e2e suites start real stores, servers and child processes; on a shared 2-core machine their
    // set-up can take far longer than jest's 5 s default (a suite's own longer timeouts still apply).
    { ...common, displayName: 'integration', testTimeout: 60_000, testMatch: ['<rootDir>/test/**/*.integration.test.ts'] },
    { ...common, displayName: 'e2e', testTimeout: 120_000, testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
