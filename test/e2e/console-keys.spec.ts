// The key flows of the console, as an admin runs them against `quorum serve` on fresh data
// directories: first run -> a key typed with a typo (the group named) -> corrected -> installed ->
// activated online; a second host activated offline (installation ID copied, confirmation ID from
// `quorum authority confirm` typed group by group); a reactivation confirmed and the meter moving.
import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessible, screenshots } from '../support/console-checks.js';
import { quorum, serve, type ServedHost } from '../support/quorum-cli.js';

test.describe.configure({ mode: 'serial' });

let first: ServedHost;
let second: ServedHost;
let key = '';

const freshDir = () => mkdtempSync(join(tmpdir(), 'quorum-e2e-keys-'));

test.beforeAll(async () => {
  first = await serve(freshDir());
  second = await serve(freshDir());
  const issued = quorum(['authority', 'issue', '--family', 'desktop', '--data-dir', first.dataDir, '--json']);
  key = (JSON.parse(issued.stdout) as { key: string }).key;
});

test.afterAll(async () => {
  await first?.stop();
  await second?.stop();
});

function withTypo(text: string, group: number): string {
  const groups = text.split('-');
  const g = groups[group - 1]!;
  groups[group - 1] = (g[0] === 'A' ? 'B' : 'A') + g.slice(1);
  return groups.join('-');
}

test('first run: a typo is named by group, the corrected key installs and activates online', async ({ page }) => {
  await page.goto(first.consoleUrl);
  await expect(page.getByRole('heading', { name: 'Set up this host' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Install key' })).toBeDisabled();
  await expectAccessible(page);
  await screenshots(page, 'keys-first-run');

  const field = page.getByLabel('Host key');
  await field.pressSequentially(withTypo(key, 3).toLowerCase());
  await expect(page.getByText(/^Group 3 does not check/)).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Install key' })).toBeDisabled();

  await field.fill(key);
  await expect(page.getByText('The key checks. It covers desktop, generations 1 to')).toBeVisible();
  await page.getByRole('button', { name: 'Install key' }).click();

  await expect(page.getByTestId('key-state')).toContainText('Installed, not activated');
  await expect(page.getByTestId('masked-key')).toHaveText(`*****-*****-*****-*****-${key.slice(-5)}`);
  await page.getByRole('button', { name: 'Activate online' }).click();

  await expect(page.getByRole('main').getByRole('status')).toContainText('Activated online: host 1 of 6 for this key');
  await expect(page.getByTestId('key-state')).toContainText('Activated online on');
  await expect(page.getByTestId('meter-hosts')).toHaveText('1 of 6 hosts');
  await expect(page.getByTestId('meter-activations')).toHaveText('1 of 10 activations');
  await expect(page.getByTestId('limits-as-of')).toContainText('As of');
  await expect(page.getByTestId('connection')).toHaveText('Serving');
  await expectAccessible(page);
});

test('a second host activates offline with the confirmation ID of quorum authority confirm', async ({ page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(second.consoleUrl).origin,
  });
  await page.goto(second.consoleUrl);
  await page.getByLabel('Host key').fill(key);
  await page.getByRole('button', { name: 'Install key' }).click();
  await page.getByRole('button', { name: 'Show installation ID' }).click();

  const groups = page.getByTestId('installation-id').getByRole('listitem');
  await expect(groups).toHaveCount(8);
  const shown = (await groups.allTextContents()).join('-');
  await page.getByRole('button', { name: 'Copy installation ID' }).click();
  await expect(page.getByText('Copied')).toBeVisible();
  type WithClipboard = { navigator: { clipboard: { readText(): Promise<string> } } };
  const copied = await page.evaluate(() => (globalThis as unknown as WithClipboard).navigator.clipboard.readText());
  expect(copied).toBe(shown);

  const confirmed = quorum(['authority', 'confirm', copied, '--data-dir', first.dataDir, '--json']);
  expect(confirmed.code).toBe(0);
  const cid = (JSON.parse(confirmed.stdout) as { confirmationId: string }).confirmationId.split('-');

  await page.getByLabel('Group 1 of 3').fill(cid[0]!);
  const wrong = `${cid[1]!.slice(0, 6)}${(Number(cid[1]![6]) + 1) % 10}`;
  await page.getByLabel('Group 2 of 3').fill(wrong);
  await expect(page.getByText('Group 2 does not check: one of its digits is mistyped.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Activate with this confirmation ID' })).toBeDisabled();
  await page.getByLabel('Group 2 of 3').fill(cid[1]!);
  await page.getByLabel('Group 3 of 3').fill(cid[2]!);
  await expect(page.getByText('Every group checks.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'keys-offline');

  await page.getByRole('button', { name: 'Activate with this confirmation ID' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('Activated offline: host 2 of 6 for this key');
  await expect(page.getByTestId('meter-hosts')).toHaveText('2 of 6 hosts');
  await expect(page.getByTestId('connection')).toHaveText('Serving');
});

test('a reactivation is spent only after a confirmation naming it, and the meter moves', async ({ page }) => {
  await page.goto(first.consoleUrl);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Keys', exact: true }).click();
  await expect(page.getByTestId('meter-activations')).toHaveText('1 of 10 activations');

  await page.getByRole('button', { name: 'Reactivate online…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Spend reactivation 1 of 9?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('activation 2 of 10 for this host');
  await expectAccessible(page);
  await screenshots(page, 'keys-reactivate-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('meter-activations')).toHaveText('1 of 10 activations');

  await page.getByRole('button', { name: 'Reactivate online…' }).click();
  await dialog.getByRole('button', { name: 'Spend reactivation 1' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('Reactivated online');
  await expect(page.getByRole('main').getByRole('status')).toContainText('reactivation 1 of 9');
  await expect(page.getByTestId('meter-activations')).toHaveText('2 of 10 activations');
  // The host learns the key's host count anew at each activation: the second host is counted now.
  await expect(page.getByTestId('meter-hosts')).toHaveText('2 of 6 hosts');
  await screenshots(page, 'keys-activated');
  const info = quorum(['key', 'info', '--json', '--data-dir', first.dataDir]);
  expect(JSON.parse(info.stdout)).toMatchObject({ activation: { activationNumber: 2, hostsUsed: 2 } });
});

test('on a single PC, first run issues a key from the embedded authority, installs and activates it', async ({
  page,
}) => {
  const single = await serve(freshDir());
  try {
    await page.goto(single.consoleUrl);
    await expect(page.getByRole('heading', { name: 'Set up this host' })).toBeVisible();
    await page.getByLabel('Products').selectOption('server');
    await page.getByRole('button', { name: 'Issue a key on this PC' }).click();
    await expect(page.getByRole('main').getByRole('status')).toContainText("This PC's authority issued a server key");
    await expect(page.getByText('The key checks. It covers server and desktop, generations 1 to')).toBeVisible();
    await page.getByRole('button', { name: 'Install key' }).click();
    await page.getByRole('button', { name: 'Activate online' }).click();
    await expect(page.getByTestId('meter-hosts')).toHaveText('1 of 6 hosts');
    await expect(page.getByTestId('connection')).toHaveText('Serving');
    const ledger = JSON.parse(quorum(['authority', 'ledger', '--json', '--data-dir', single.dataDir]).stdout) as {
      keys: { family: string; hostsUsed: number }[];
    };
    expect(ledger.keys).toMatchObject([{ family: 'server', hostsUsed: 1 }]);
  } finally {
    await single.stop();
  }
});
