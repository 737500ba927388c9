import { defineConfig } from 'vite';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { dependencies: Record<string, string> };

// The `quorum` command as one JavaScript file (out/cli/quorum.js): no TypeScript compiler at run
// time. The production dependencies stay external (node_modules, native modules among them), so
// `npm ci --omit=dev` plus this file is a working CLI and host. `--mode sim-worker` builds the
// rehearsal's worker thread beside it (out/cli/sim-worker.js), which the console's Rehearse view
// starts from the bundle's own folder.
export default defineConfig(({ mode }) => ({
  build: {
    ssr: here(mode === 'sim-worker' ? './src-main/service/sim-worker.ts' : './src-main/cli/entry.ts'),
    outDir: here('./out/cli'),
    emptyOutDir: mode !== 'sim-worker',
    target: 'node20',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      external: [...Object.keys(pkg.dependencies), ...builtinModules, /^node:/],
      output: {
        format: 'esm',
        entryFileNames: mode === 'sim-worker' ? 'sim-worker.js' : 'quorum.js',
        codeSplitting: false,
      },
    },
  },
  ssr: { target: 'node', noExternal: [] },
}));
