// Lint: ESLint's and typescript-eslint's recommended rules (no type information: fast
// enough for every `make test`). Formatting is Prettier's (.prettierrc.json), not lint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'out/', '.bench/', 'sample-data/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's signature, a destructured rest)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // the readers match the unit separator (\x1f) and NUL on purpose: that is how records and binary files are told
      'no-control-regex': 'off',
      // `let n = 0` before the loop that sets it reads better than a bare `let n: number`
      'no-useless-assignment': 'off',
    },
  },
  {
    // a list kept as the source of its type (src/synth/ is changed by the lead: fixed there later)
    files: ['src/synth/nights.ts'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^(_|CHURN_KINDS$)', caughtErrors: 'none' }] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
