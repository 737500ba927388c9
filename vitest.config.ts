import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

// Node-side tests (unit and integration, real sockets and real SQLite) and the renderer's DOM tests
// run as two projects of one Vitest run.
export default defineConfig({
  test: {
    projects: [
      {
        // Electron cannot run here: src-main/electron/ runs against a recording stand-in.
        resolve: {
          alias: [
            {
              find: /^electron$/,
              replacement: fileURLToPath(new URL('./test/support/electron-stand-in.ts', import.meta.url)),
            },
          ],
        },
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/fuzz/**/*.test.ts',
            'test/attack/**/*.test.ts',
          ],
          exclude: ['test/unit/renderer/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          pool: 'forks',
          // Tests that spawn `quorum` run the built CLI, as users do.
          globalSetup: ['test/support/built-cli.ts'],
        },
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/unit/renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
