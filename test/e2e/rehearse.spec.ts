// The Rehearse view, as an admin uses it: pick a built-in scenario, change the hosts, run it with
// progress, read the summary, the charts and the moments; open a scenario file and see a mistake
// named by line and field; cancel a long run. Axe finds no serious problem, light or dark.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { activatedDataDir, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;

test.beforeAll(async () => {
  host = await serve(activatedDataDir());
});

test.afterAll(async () => {
  await host.stop();
});

async function openRehearse(page: Page): Promise<void> {
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('connection')).toHaveText('Serving');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Rehearse', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Rehearse a deployment' })).toBeVisible();
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('main').analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('runs a built-in scenario with changed hosts and shows the charts and moments', async ({ page }, testInfo) => {
  await openRehearse(page);
  await page.getByLabel('Built-in scenario').selectOption('host-failover');
  await expect(page.getByTestId('scenario-description')).toContainText('quorum1 (priority 0) is down for three days');
  await expect(page.getByLabel('Clients in office (desktop)')).toHaveValue('200');
  await page.getByLabel('Days').fill('20');
  await page.getByLabel('Hosts', { exact: true }).fill('3');
  await page.getByLabel('Hosts', { exact: true }).dispatchEvent('change');
  await page.getByLabel('Priority of host 3').fill('10');
  await page.getByLabel('Weight of host 3').fill('50');
  await page.getByRole('button', { name: 'Run rehearsal' }).click();

  const summary = page.getByTestId('rehearsal-summary');
  await expect(summary).toContainText('host-failover: 20 days, 200 clients');
  const hostsTable = summary.getByRole('table').filter({ hasText: 'Requests per host' });
  await expect(hostsTable.getByRole('row')).toHaveCount(4);
  await expect(hostsTable.getByRole('row', { name: /quorum3 10 50/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /count each host reports/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Shares of the clients/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Requests the hosts answered/ })).toBeVisible();
  const moments = page.getByTestId('moments');
  await expect(moments).toContainText('quorum1 stops answering');
  await expect(moments).toContainText('quorum1 answers again');

  await expectNoSeriousViolations(page);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectNoSeriousViolations(page);
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      // The charts follow the window (ResizeObserver): once they have, nothing is wider than it.
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: testInfo.outputPath(`rehearse-${scheme}-${width}.png`), fullPage: true });
    }
  }
});

test('names the line and the field of a mistake in an opened file', async ({ page }) => {
  await openRehearse(page);
  const text =
    'name: branch\ndays: 30\nhosts:\n  - name: quorum1\n    family: desktop\nfleets:\n  - name: office\n    product: desktop\n    size: lots\n';
  await page
    .getByLabel('Open a scenario file')
    .setInputFiles({ name: 'branch.yaml', mimeType: 'text/yaml', buffer: Buffer.from(text) });
  await expect(page.getByRole('alert')).toContainText('branch.yaml:9:11: fleets[0].size: expected a number');

  await page.getByLabel('Open a scenario file').setInputFiles({
    name: 'branch.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(text.replace('size: lots', 'size: 30')),
  });
  await expect(page.getByTestId('scenario-description')).toContainText('branch (branch.yaml): no description');
  await expect(page.getByLabel('Clients in office (desktop)')).toHaveValue('30');

  // Not a scenario at all: said before anything is sent.
  await page.getByLabel('Open a scenario file').setInputFiles({
    name: 'export.csv',
    mimeType: 'text/csv',
    buffer: Buffer.alloc(60 * 1024, 'a'),
  });
  await expect(page.getByRole('alert')).toContainText('export.csv is larger than 48 KiB');
});

test('shows progress and cancels a long run', async ({ page }) => {
  await openRehearse(page);
  await page.getByLabel('Built-in scenario').selectOption('boot-storm');
  await page.getByLabel('Days').fill('3650');
  await page.getByRole('button', { name: 'Run rehearsal' }).click();
  await expect(page.getByRole('progressbar', { name: 'Rehearsal progress' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('status')).toContainText(/Day \d+ of 3650/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run rehearsal' })).toBeEnabled();
  await expect(page.getByTestId('rehearsal-summary')).toHaveCount(0);
});
