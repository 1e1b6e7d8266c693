// Two lint passes: typescript-eslint on the TypeScript sources, and eslint-plugin-suitescript (1.4.1, the last
// release that installs and runs on ESLint 9) on the compiled SuiteScripts NetSuite will load.
import tseslint from 'typescript-eslint';
import suitescript from 'eslint-plugin-suitescript';
import globals from 'globals';

const suitescriptRules = Object.fromEntries(
  Object.keys(suitescript.rules).map((rule) => [`suitescript/${rule}`, 'error']),
);

export default [
  { ignores: ['node_modules/**', 'dist/**', 'build/**', 'coverage/**', '.ledgerbridge/**'] },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Domain code is pure: N/* only in suitescripts/gateways (and entry files wiring them).
    files: ['suitescripts/domain/**/*.ts', 'core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['N', 'N/*'], message: 'N/* belongs in suitescripts/gateways.' }] }],
    },
  },
  {
    // process.env is read in one place: middleware/config.
    files: ['core/**/*.ts', 'suitescripts/**/*.ts', 'emulator/**/*.ts', 'middleware/**/*.ts'],
    ignores: ['middleware/config/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through middleware/config.' }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', 'jest.config.js', 'suitecloud.config.js', 'bench/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['src/FileCabinet/SuiteScripts/**/*.js'],
    languageOptions: { ecmaVersion: 2019, sourceType: 'script', globals: { ...globals.amd, log: 'readonly' } },
    plugins: { suitescript },
    rules: {
      ...suitescriptRules,
      // Known false positive on tsc's AMD output: entry points are assigned as `exports.x = ...`, not returned.
      'suitescript/entry-points': 'off',
    },
  },
];
