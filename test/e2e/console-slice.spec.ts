// The slice, end to end as a user runs it: serve, activate a client over TCP with the CLI, and see
// the client appear in the console's Clients view without reloading the page (pushed event).
import { expect, test } from '@playwright/test';
import { encodeActivationRequest } from '../../shared/protocol/index.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { activationRequest } from '../support/activated-host.js';
import { activatedDataDir, quorum, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;

test.beforeAll(async () => {
  host = await serve(activatedDataDir());
});

test.afterAll(async () => {
  await host.stop();
});

test('a client activated from the CLI appears live in the console', async ({ page }, testInfo) => {
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('connection')).toHaveText('Serving');
  // The token leaves the address bar once read.
  expect(page.url()).not.toContain('token=');
  await expect(page.getByTestId('application-Operating systems').getByTestId('count')).toHaveText('0');

  await page.getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByText('No client has asked for activation yet')).toBeVisible();
  await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'same page'));

  const result = quorum([
    'client',
    'activate',
    '--host',
    `127.0.0.1:${host.port}`,
    '--product',
    'desktop',
    '--machine-name',
    'e2e-reception-01',
    '--state',
    `${host.dataDir}/client-e2e.json`,
  ]);
  // One client of the 25 a desktop product needs: the host answers, but does not activate it yet.
  expect(result.code).not.toBe(0);
  expect(`${result.stdout}${result.stderr}`).toMatch(/1 of 25|25/);

  const row = page.getByTestId('client-row').filter({ hasText: 'e2e-reception-01' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('waiting for the count');
  await expect(page.getByTestId('clients-total')).toHaveText('1 client');
  expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe('same page');
  await page.screenshot({ path: testInfo.outputPath('console-clients.png'), fullPage: true });

  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByTestId('application-Operating systems').getByTestId('count')).toHaveText('1');
  await expect(page.getByTestId('requests-total')).toHaveText('1');
  await page.screenshot({ path: testInfo.outputPath('console-overview.png'), fullPage: true });
});

test('the console says so when the host is not activated', async ({ page }) => {
  const fresh = await serve(`${host.dataDir}-fresh`);
  try {
    await page.goto(fresh.consoleUrl);
    // A host with no key opens on the first-run page; the Overview says why it does not activate.
    await expect(page.getByRole('heading', { name: 'Set up this host' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Overview', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('not activating clients');
    await expect(page.getByRole('alert')).toContainText('quorum key');
  } finally {
    await fresh.stop();
  }
});

test('pages through the clients a page at a time, forward and back', async ({ page }) => {
  for (let i = 0; i < 120; i++) {
    const request = activationRequest('desktop', { machineName: `bulk-${String(i).padStart(3, '0')}` });
    await rpcCall({ host: '127.0.0.1', port: host.port }, 0, encodeActivationRequest(request));
  }
  await page.goto(host.consoleUrl);
  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('button', { name: 'Machine', exact: true }).click();
  const rows = page.getByTestId('client-row');
  await expect(rows.first()).toContainText('bulk-000');
  await expect(page.getByText(/^1–50 of 12[01]$/)).toBeVisible();

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(rows.first()).toContainText('bulk-050');
  await expect(page.getByText(/^51–100 of 12[01]$/)).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(rows.first()).toContainText('bulk-100');
  await expect(page.getByText(/^101–12[01] of 12[01]$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();

  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(rows.first()).toContainText('bulk-050');
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(rows.first()).toContainText('bulk-000');
  await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();
});
