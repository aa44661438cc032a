// ESLint for the page's modules and the workers (the types are tsc's: tsconfig.json):
// npx eslint -c www/eslint.config.mjs www
// With -c, ESLint reads the patterns from the working directory, hence the leading **/.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'no-shadow': 'error',
      'no-implicit-globals': 'error',
      'no-unused-vars': ['error', { caughtErrors: 'all' }],
    },
  },
  { files: ['**/js/**/*.js'], languageOptions: { globals: globals.browser } },
  { files: ['**/worker.js', '**/mode-benchmark-worker.js'], languageOptions: { globals: globals.worker } },
];
