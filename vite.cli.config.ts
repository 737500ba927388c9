import { defineConfig } from 'vite';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { dependencies: Record<string, string> };

// The `quorum` command as one JavaScript file (out/cli/quorum.js): no TypeScript compiler at run
// time. The production dependencies stay external (node_modules, native modules among them), so
// `npm ci --omit=dev` plus this file is a working CLI and host.
export default defineConfig({
  build: {
    ssr: here('./src-main/cli/entry.ts'),
    outDir: here('./out/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      external: [...Object.keys(pkg.dependencies), ...builtinModules, /^node:/],
      output: { format: 'esm', entryFileNames: 'quorum.js', codeSplitting: false },
    },
  },
  ssr: { target: 'node', noExternal: [] },
});
