// The layering rules (docs/architecture.md, "Folders and what they may import") are enforced here,
// the way VS Code enforces its `code-layering` rule: each folder may import only what may run where
// that folder's code runs, and inside src-main/ only the layers below it.
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
const PURE_ENGINE = 'src-main/engine/ is pure: no I/O modules; time comes from the injected Clock.';

/**
 * src-main's layers, lowest first: each folder imports only the folders listed for it, besides
 * shared/ and its own files. CLI, headless and Electron on top; then the console service; the
 * simulator (which runs the host's responder); the host; the libraries (authority, client, dns;
 * store; engine and rpc at the bottom). A rule belongs to the lowest layer that needs it.
 */
const SRC_MAIN_IMPORTS = {
  engine: [],
  rpc: [],
  store: ['engine'],
  authority: ['engine', 'store'],
  client: ['rpc', 'dns'],
  dns: ['rpc', 'store', 'client'],
  host: ['engine', 'rpc', 'store', 'authority', 'client', 'dns'],
  sim: ['engine', 'store', 'client', 'dns', 'host'],
  service: ['engine', 'rpc', 'store', 'authority', 'client', 'dns', 'host', 'sim'],
  headless: ['engine', 'rpc', 'store', 'authority', 'client', 'dns', 'host', 'service'],
  electron: ['engine', 'rpc', 'store', 'authority', 'client', 'dns', 'host', 'service', 'headless'],
  cli: ['engine', 'rpc', 'store', 'authority', 'client', 'dns', 'host', 'sim', 'service', 'headless'],
};

const srcMainLayers = Object.entries(SRC_MAIN_IMPORTS).map(([folder, allowed]) => {
  const others = Object.keys(SRC_MAIN_IMPORTS).filter((f) => f !== folder && !allowed.includes(f));
  const message = `src-main/${folder}/ imports only ${allowed.length ? allowed.map((f) => `${f}/`).join(', ') + ', ' : ''}shared/ and its own files (docs/architecture.md). ${folder === 'engine' ? PURE_ENGINE : ''}${folder === 'electron' ? '' : ELECTRON_ONLY}`;
  const patterns = [...others.map((f) => `**/${f}/**`)];
  const names = [];
  if (folder !== 'electron') {
    patterns.push('electron/*');
    names.push('electron');
  }
  if (folder === 'engine') {
    patterns.push('node:*');
    names.push(...nodeBuiltins, 'better-sqlite3', 'ws');
  }
  return { files: [`src-main/${folder}/**`], rules: layer(message.trim(), patterns, names) };
});

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
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: layer(ELECTRON_ONLY, ['electron/*'], ['electron']),
  },
  ...srcMainLayers,
  {
    files: ['src-main/engine/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: PURE_ENGINE },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: PURE_ENGINE },
        { selector: 'CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]', message: PURE_ENGINE },
      ],
    },
  },
);
