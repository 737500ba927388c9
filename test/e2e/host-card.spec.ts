// The Overview's Host card as an admin uses it: read the fingerprint `quorum status` prints, copy it
// with the button, and find it accessible in light and dark, wide and narrow.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { activatedDataDir, quorum, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;

test.beforeAll(async () => {
  host = await serve(activatedDataDir());
});

test.afterAll(async () => {
  await host.stop();
});

test('the Host card shows the fingerprint quorum status prints, and copies it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const printed = JSON.parse(quorum(['status', '--data-dir', host.dataDir, '--json']).stdout) as {
    host: { fingerprint: string; hostId: string };
  };
  await page.goto(host.consoleUrl);
  const card = page.getByTestId('host-card');
  await expect(card.getByTestId('host-id')).toHaveText(printed.host.hostId);
  await expect(card.getByTestId('host-fingerprint')).toHaveText(printed.host.fingerprint);
  await card.getByRole('button', { name: 'Copy fingerprint' }).click();
  await expect(card.getByRole('status')).toHaveText('Fingerprint copied.');
  // The page's clipboard, read in the browser (this file is type-checked without the DOM library).
  type PageGlobals = { navigator: { clipboard: { readText(): Promise<string> } } };
  const pasted = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
  expect(pasted).toBe(printed.host.fingerprint);
});

test('the Host card is accessible in light and dark, 1280 and 800 px wide', async ({ page }, testInfo) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 800]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await page.goto(host.consoleUrl);
      await expect(page.getByTestId('host-card')).toBeVisible();
      // The card only: the rest of the Overview is another change's (see the report of issue 16).
      const result = await new AxeBuilder({ page }).include('[data-testid="host-card"]').analyze();
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        serious.map((v) => `${colorScheme} ${width}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
      await page.screenshot({
        path: testInfo.outputPath(`overview-host-card-${colorScheme}-${width}.png`),
        fullPage: true,
      });
    }
  }
});
