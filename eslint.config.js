// The layering rules of the brief (product.md) are enforced here, the way VS Code enforces its
// `code-layering` rule: each folder may import only what may run where that folder's code runs.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const layer = (message, patterns, names = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: names.map((name) => ({ name, message })),
      patterns: [{ group: patterns, message }],
    },
  ],
});

const ISOMORPHIC =
  'shared/ is isomorphic: it runs in main and in the renderer, so it imports no Node, Electron or src-* code.';
const RENDERER = 'src-renderer/ imports only shared/ and its own files; it reaches main through the api object.';
const ELECTRON_ONLY = 'Only src-main/electron/ imports electron; everything else runs (and is tested) in plain Node.';
const DNS_LIBRARY =
  'src-main/dns/ is what the CLI, the console service and the host share: it imports no CLI, service, headless or Electron code.';
const PURE_ENGINE = 'src-main/engine/ is pure: no I/O modules; time comes from the injected Clock.';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      'test/lint-fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['shared/**'],
    rules: layer(
      ISOMORPHIC,
      ['**/src-main/**', '**/src-renderer/**', 'node:*', 'electron', 'electron/*'],
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws'],
    ),
  },
  {
    files: ['src-renderer/**'],
    rules: layer(
      RENDERER,
      ['**/src-main/**', 'node:*', 'electron', 'electron/*', '**/test/**'],
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws'],
    ),
  },
  {
    files: ['src-main/**', 'test/**', 'bench/**', 'scripts/**'],
    ignores: ['src-main/electron/**'],
    rules: layer(ELECTRON_ONLY, ['electron/*'], ['electron']),
  },
  {
    files: ['src-main/dns/**'],
    rules: layer(
      DNS_LIBRARY,
      ['electron/*', '**/cli/**', '**/service/**', '**/headless/**', '**/electron/**'],
      ['electron'],
    ),
  },
  {
    files: ['src-main/engine/**'],
    rules: {
      ...layer(
        PURE_ENGINE,
        ['node:*', 'electron', '**/store/**', '**/rpc/**', '**/dns/**', '**/service/**'],
        [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws'],
      ),
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: PURE_ENGINE },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: PURE_ENGINE },
        { selector: 'CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]', message: PURE_ENGINE },
      ],
    },
  },
);
