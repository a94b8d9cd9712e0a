// @ts-check
'use strict';
/**
 * ESLint (flat config), run by `npm run lint` and by `npm test` ("lint (eslint)").
 *   TypeScript everywhere: eslint:recommended + typescript-eslint recommended (not type-aware:
 *     see TYPE_AWARE below).
 *   The console (src/, and bench/baseline/src and bench/framework-floor/src, the same kind of Angular
 *     page): angular-eslint's
 *     ts recommended, and template recommended + accessibility for external and inline templates.
 *   Node code (server/, scripts/, bench/, e2e/, the config files at the root): Node's globals;
 *     the .js files are CommonJS (package.json has no "type": "module").
 * Formatting is Prettier's job (`npm run format:check`), so no stylistic rules here.
 */
const { defineConfig, globalIgnores } = require('eslint/config');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const angular = require('angular-eslint');
const globals = require('globals');

module.exports = defineConfig([
  globalIgnores([
    'dist/',
    'dist-server/',
    'out-tsc/',
    'coverage/',
    '.angular/',
    'bench/.out/',
    'bench/results/',
    'bench/baseline/.angular/',
    'bench/framework-floor/.angular/',
    'test-results/',
    'playwright-report/',
    'e2e/artifacts/',
    'src/pki/testdata/',
  ]),

  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: globals.node },
  },

  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // `const { password: _drop, ...rest } = e` is how the code leaves a field out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },

  {
    files: ['server/**/*.ts', 'e2e/**/*.ts', 'bench/lib/validation-node.ts', '*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: [
      'src/**/*.ts',
      'bench/baseline/src/**/*.ts',
      'bench/framework-floor/src/**/*.ts',
      'bench/lib/pki-page.ts',
    ],
    languageOptions: { globals: globals.browser },
  },
  {
    // Functions handed to Chromium (scripts before the page's own, page.evaluate) run in the page.
    files: ['bench/lib/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },

  {
    files: ['src/**/*.ts', 'bench/baseline/src/**/*.ts', 'bench/framework-floor/src/**/*.ts'],
    extends: [angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      // Attribute selectors too: a component on a native row (`tr[appKeyRow]`) keeps the table's
      // semantics, as Material's own `tr[mat-row]` does.
      '@angular-eslint/component-selector': [
        'error',
        [
          { type: 'element', prefix: 'app', style: 'kebab-case' },
          { type: 'attribute', prefix: 'app', style: 'camelCase' },
        ],
      ],
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'app', style: 'camelCase' },
      ],
    },
  },
  {
    files: ['src/**/*.html', 'bench/baseline/src/**/*.html', 'bench/framework-floor/src/**/*.html'],
    extends: [angular.configs.templateRecommended, angular.configs.templateAccessibility],
  },
]);
