// The DNS view against a real host and a real BIND9: add a zone with its TSIG key, see it published
// (and in BIND), copy the hand-publishing snippet, run the check, withdraw. Axe and screenshots.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { startBind9, type Bind9 } from '../support/bind9.js';
import { activatedDataDir, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;
let bind: Bind9;

test.beforeAll(async () => {
  bind = await startBind9({ records: ['_quorum._tcp 300 IN SRV 0 10 9 gone', 'gone IN A 127.0.0.1'] });
  host = await serve(activatedDataDir());
});

test.afterAll(async () => {
  await host?.stop();
  await bind?.stop();
});

async function axe(page: Page, label: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // The view itself; the header's connection badge belongs to App.svelte (reported separately).
    const result = await new AxeBuilder({ page }).include('.dns').analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${label} ${colorScheme}: ${v.id} ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual(
      [],
    );
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function shots(page: Page, name: string, outputPath: (n: string) => string): Promise<void> {
  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 900 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // From the top, as an admin opens the view: a full-page capture of a page scrolled down
      // draws the sticky bar and table head where the scroll left them, over the content.
      await page.evaluate('window.scrollTo(0, 0)');
      // The view fits the window: no sideways scrolling at 800 px.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.screenshot({ path: outputPath(`${name}-${width}-${colorScheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('publish, copy, check and withdraw from the DNS view', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('connection')).toHaveText('Serving');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'DNS', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'DNS publishing' })).toBeVisible();
  await expect(page.getByText('No zones yet')).toBeVisible();
  await axe(page, 'empty');

  const form = page.getByRole('form', { name: 'Add a zone (RFC 2136 with a TSIG key)' });
  await form.getByLabel('Zone').fill('office.test');
  await form.getByLabel('DNS server (primary)').fill(bind.server);
  await form.getByLabel(/TSIG key file/).fill(readFileSync(bind.keyFile, 'utf8'));
  await form.getByLabel('Priority').fill('4');
  await form.getByLabel('Weight').fill('60');
  await form.getByLabel('Target name').fill('console.office.test');
  await form.getByLabel('Address records to publish').fill('127.0.0.1');
  await form.getByRole('button', { name: 'Add zone and publish' }).click();

  const row = page.getByTestId('dns-zone-row').filter({ hasText: 'office.test' });
  await expect(row).toContainText(`console.office.test:${host.port}`);
  await expect(page.getByTestId('dns-notice')).toContainText('Published _quorum._tcp.office.test SRV 4 60');
  expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toContain(`4 60 ${host.port} console.office.test.`);

  await page.getByLabel('Format').selectOption('powershell');
  const snippet = page.getByLabel('Records for office.test', { exact: true });
  await expect(snippet).toContainText('Add-DnsServerResourceRecord -ZoneName "office.test" -Name "_quorum._tcp" -Srv');
  await page.getByRole('button', { name: 'Copy the records for office.test' }).click();
  await expect(page.getByRole('button', { name: 'Copy the records for office.test' })).toHaveText('Copied');
  expect(
    await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    ),
  ).toContain(`-Port ${host.port}`);

  const checkForm = page.getByRole('form', { name: "Check from a client's view" });
  await checkForm.getByLabel('Domain').fill('office.test');
  await checkForm.getByLabel('DNS server (optional)').fill(bind.server);
  await checkForm.getByRole('button', { name: 'Check' }).click();
  const report = page.getByTestId('dns-check-report');
  await expect(report).toContainText(`console.office.test:${host.port}`);
  await expect(report).toContainText('answers');
  await expect(report).toContainText('gone.office.test:9');
  await expect(report).toContainText('does not answer');
  await axe(page, 'published');
  await shots(page, 'dns-view', (n) => testInfo.outputPath(n));

  // The stale record raised an event in the Events view.
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: /^Events/ })
    .click();
  await expect(
    page.getByText(/DNS check of office\.test: 1 SRV record names a host that does not answer/),
  ).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'DNS', exact: true }).click();

  await page.getByRole('button', { name: 'Withdraw from office.test' }).click();
  await expect(page.getByText('No zones yet')).toBeVisible();
  expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual(['0 10 9 gone.office.test.']);
});

test('a wrong key shows the error and what to do', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'DNS', exact: true }).click();
  const form = page.getByRole('form', { name: 'Add a zone (RFC 2136 with a TSIG key)' });
  await form.getByLabel('Zone').fill('office.test');
  await form.getByLabel('DNS server (primary)').fill(bind.server);
  await form
    .getByLabel(/TSIG key file/)
    .fill(readFileSync(bind.keyFile, 'utf8').replace(bind.keySecret, Buffer.alloc(32, 3).toString('base64')));
  await form.getByRole('button', { name: 'Add zone and publish' }).click();
  await expect(page.getByTestId('dns-notice')).toContainText('NOTAUTH/BADSIG');
  await expect(page.getByTestId('dns-zone-row')).toContainText('publish failed');
  await page.getByRole('button', { name: 'Withdraw from office.test' }).click();
  await expect(page.getByText('No zones yet')).toBeVisible();
});
