// A data directory other users can read (made by mkdir with umask 022, or systemd's 0755): the
// Overview says so and how to fix it, in light and dark, wide and narrow, with no serious
// accessibility violation.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { chmodSync } from 'node:fs';
import { activatedDataDir, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;

test.beforeAll(async () => {
  const dataDir = activatedDataDir();
  chmodSync(dataDir, 0o755);
  host = await serve(dataDir);
});

test.afterAll(async () => {
  await host.stop();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the Overview warns of a data directory others can read (${colorScheme})`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme });
    await page.goto(host.consoleUrl);
    await expect(page.getByTestId('connection')).toHaveText('Serving');
    const warning = page
      .getByRole('main')
      .getByRole('status')
      .filter({ hasText: 'can be read by other users of this machine' });
    await expect(warning).toBeVisible();
    await expect(warning).toContainText(`chmod 700 ${host.dataDir}`);
    // The banner this view adds; the rest of the Overview is another view's (see the report on its contrast).
    const axe = await new AxeBuilder({ page }).include('[role="status"]').analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.failureSummary).join('; ')}`)).toEqual([]);
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({
        path: testInfo.outputPath(`overview-warning-${colorScheme}-${width}.png`),
        fullPage: true,
      });
    }
  });
}
