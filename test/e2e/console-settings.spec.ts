// The Settings page against `quorum serve` on a fresh data directory: a value out of range is
// refused next to its field with the reason; a valid one is applied by the running host and shows
// in `quorum settings --json`; a new port restarts the listener and the page says where it listens.
import { expect, test } from '@playwright/test';
import { createServer } from 'node:net';
import { activatedDataDir, quorum, serve, type ServedHost } from '../support/quorum-cli.js';
import { expectAccessible, screenshots } from '../support/console-checks.js';

let host: ServedHost;

test.beforeAll(async () => {
  host = await serve(activatedDataDir());
});

test.afterAll(async () => {
  await host?.stop();
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function cliSettings(): Record<string, unknown> {
  const r = quorum(['settings', '--json', '--data-dir', host.dataDir]);
  expect(r.code).toBe(0);
  const list = JSON.parse(r.stdout) as { name: string; value: unknown }[];
  return Object.fromEntries(list.map((s) => [s.name, s.value]));
}

test('settings are checked by the host, applied, and the same in quorum settings --json', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings', exact: true }).click();

  const interval = page.getByLabel('Activation interval (minutes)');
  await expect(interval).toHaveValue('120');
  await interval.fill('5');
  const form = page.locator('form').filter({ has: interval });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText(/activation-interval: The activation interval must be .* from 15/)).toBeVisible();
  await expect(interval).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  expect(cliSettings()['activation-interval']).toBe(120);

  await interval.fill('60');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('The host uses 60 minutes now')).toBeVisible();
  expect(cliSettings()['activation-interval']).toBe(60);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Overview', exact: true }).click();
  await expect(page.getByText('1 hour')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings', exact: true }).click();

  const ranges = page.getByLabel('Allowed client address ranges');
  await ranges.fill('192.168.1.0/24, 10.0.0.0/40');
  const rangesForm = page.locator('form').filter({ has: ranges });
  await rangesForm.getByRole('button', { name: 'Save' }).click();
  await expect(rangesForm.getByText('allowed-ranges: "10.0.0.0/40" is not an address range.')).toBeVisible();
  await ranges.fill('127.0.0.0/8, 192.168.1.0/24');
  await rangesForm.getByRole('button', { name: 'Save' }).click();
  await expect(
    rangesForm.getByText('From now on only clients from 127.0.0.0/8, 192.168.1.0/24 may activate.'),
  ).toBeVisible();
  expect(cliSettings()['allowed-ranges']).toEqual(['127.0.0.0/8', '192.168.1.0/24']);

  const port = await freePort();
  const portField = page.getByLabel('Activation port');
  await portField.fill(String(port));
  await page.locator('form').filter({ has: portField }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`The listener restarted: listening on 127.0.0.1:${port}.`)).toBeVisible();
  await expect(page.getByTestId('listening-now')).toHaveText(`Listening now on 127.0.0.1:${port}.`);
  expect(cliSettings().port).toBe(port);

  await page.getByRole('button', { name: 'Require a site token…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Require token' }).click();
  await expect(page.getByTestId('site-token-state')).toContainText('Required');
  const token = await page.getByTestId('site-token').textContent();
  const shown = JSON.parse(quorum(['settings', 'site-token', '--json', '--data-dir', host.dataDir]).stdout) as {
    token: string;
  };
  expect(shown.token).toBe(token);
  expect(cliSettings()['site-token']).toBe(true);
  // A client with the token the page shows is admitted by the running host.
  const client = quorum([
    'client',
    'activate',
    '--host',
    `127.0.0.1:${port}`,
    '--product',
    'desktop',
    '--site-token',
    token!,
    '--state',
    `${host.dataDir}/client-settings.json`,
    '--json',
  ]);
  expect((JSON.parse(client.stdout) as { count: number }).count).toBe(1);

  await expectAccessible(page);
  await screenshots(page, 'settings');
});
