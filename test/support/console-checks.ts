/** What every console view is held to in the e2e tests: axe, light and dark; screenshots for docs/. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * No serious or critical axe finding in the view (main, and a dialog when one is open), light and
 * dark. The header belongs to the console's layout, checked by its own spec.
 */
export async function expectAccessible(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).include('main').include('[role="alertdialog"]').analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${colorScheme}: ${v.id}: ${v.nodes.map((n) => n.html).join(', ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** docs/img/<name>-<light|dark>-<width>.png, at 1280 and 800 pixels wide. */
export async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // From the top: a full-page capture of a scrolled page draws the sticky header where it was.
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: `docs/img/${name}-${colorScheme}-${width}.png`, fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}
