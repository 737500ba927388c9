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
const SIM_USERS =
  'src-main/sim/ (the rehearsal simulator) is used only by src-main/cli/, src-main/service/ and bench/.';
const SIM_LAYER =
  'src-main/sim/ runs the engine, the client, DNS selection, the host responder and the store in memory; it does not reach the network, the console service, the CLI or the authority.';

/** Electron stays in src-main/electron/, and the simulator is not imported from here. */
const noSimNoElectron = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'electron', message: ELECTRON_ONLY }],
      patterns: [
        { group: ['electron/*'], message: ELECTRON_ONLY },
        { group: ['**/sim/**'], message: SIM_USERS },
      ],
    },
  ],
};

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
    // electron-builder hooks are CommonJS (build/fuses.cjs).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
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
    files: ['src-main/**'],
    ignores: [
      'src-main/electron/**',
      'src-main/cli/**',
      'src-main/service/**',
      'src-main/sim/**',
      'src-main/engine/**',
    ],
    rules: noSimNoElectron,
  },
  {
    files: ['src-main/electron/**'],
    rules: layer(SIM_USERS, ['**/sim/**']),
  },
  {
    files: ['src-main/sim/**'],
    rules: layer(
      SIM_LAYER,
      ['electron/*', '**/rpc/**', '**/service/**', '**/cli/**', '**/headless/**', '**/authority/**', '**/electron/**'],
      ['electron'],
    ),
  },
  {
    files: ['src-main/dns/**'],
    rules: layer(
      DNS_LIBRARY,
      ['electron/*', '**/cli/**', '**/service/**', '**/headless/**', '**/electron/**', '**/sim/**'],
      ['electron'],
    ),
  },
  {
    files: ['src-main/engine/**'],
    rules: {
      ...layer(
        PURE_ENGINE,
        ['node:*', 'electron', '**/store/**', '**/rpc/**', '**/dns/**', '**/service/**', '**/sim/**'],
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
