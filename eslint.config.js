// Run by `npm test` (before vitest). The rules that keep the code in the shape its anchors give it: hooks that
// declare every dependency (an effect that reads state it does not list acts on stale data at 3 a.m.), no unused code.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'state/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {...globals.node}},
    plugins: {'react-hooks': reactHooks},
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Terminal control characters are this app's subject matter: the sanitiser and its tests match them on purpose.
      'no-control-regex': 'off',
      'no-empty': ['error', {allowEmptyCatch: true}],
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true}],
    },
  },
  {
    // The sandbox and the tests handle Kubernetes and GitHub objects as the JSON they are.
    files: ['source/sandbox/**', 'tests/**', 'bench/**'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
  {
    // A long function is split into named parts, or says on the line above why it is kept whole
    // (`eslint-disable-next-line max-lines-per-function -- why`).
    files: ['source/**'],
    rules: {'max-lines-per-function': ['error', {max: 60, skipBlankLines: true, skipComments: true}]},
  },
);
