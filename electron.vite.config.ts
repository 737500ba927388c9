import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The desktop build: main (ESM), preload (CommonJS, as sandboxed preloads must be) and the renderer.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: here('./out/main'),
      rollupOptions: {
        // The rehearsal worker is its own entry: sim-service starts ./sim-worker.js beside the main bundle.
        input: { index: here('./src-main/electron/main.ts'), 'sim-worker': here('./src-main/service/sim-worker.ts') },
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      rollupOptions: {
        input: { index: here('./src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: here('./src-renderer'),
    base: './',
    plugins: [svelte({ configFile: here('./svelte.config.js') })],
    build: { outDir: here('./out/renderer'), rollupOptions: { input: here('./src-renderer/index.html') } },
  },
});
