import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium against the real headless host (real listener, real SQLite).
export default defineConfig({
  testDir: './test/e2e',
  outputDir: './test-results/e2e',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1280, height: 800 },
  },
});
