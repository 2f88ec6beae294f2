import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ADAPTERS = {
  group: ['**/adapters/**'],
  message: 'Only the composition root (src/server/) opens adapters; use the ports in src/ports/.',
};
const LAYERS_ABOVE_APP = {
  group: ['**/api/**', '**/server/**', '**/cli/**'],
  message: 'app/ holds the use cases: it answers with values, and api/ (or the CLI) turns them into bytes.',
};
const LAYERS_ABOVE_API = {
  group: ['**/server/**', '**/cli/**'],
  message: 'api/ is wired by the composition root (src/server/), not the other way round.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'fixtures/', 'src/web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // process.env is read in exactly one place: src/config/load-config.ts
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through loadConfig (src/config/load-config.ts).',
        },
      ],
    },
  },
  {
    files: ['src/config/load-config.ts', 'scripts/**', 'bench/**', 'test/**', '.ci/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The import rules of docs/architecture.md; test/unit/import-rules.test.ts checks the same on every file.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/server/**', 'src/adapters/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ADAPTERS] }] },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ADAPTERS, LAYERS_ABOVE_APP] }] },
  },
  {
    files: ['src/api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ADAPTERS, LAYERS_ABOVE_API] }] },
  },
);
