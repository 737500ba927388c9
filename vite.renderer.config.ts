import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

// The renderer alone (headless console and e2e tests); electron.vite.config.ts builds it the same way for the app.
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
  build: { outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)), emptyOutDir: true },
});
