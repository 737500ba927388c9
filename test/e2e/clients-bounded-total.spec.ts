// A text found in more clients than the host counts cheaply: the Clients view says "10,000+" and
// still pages, forward and back; a narrower text gets its exact total.
import { expect, test } from '@playwright/test';
import { COUNT_CAP } from '../../src-main/store/client-query.js';
import { databasePath, openStore } from '../../src-main/store/open-store.js';
import { activation } from '../integration/store/fixtures.js';
import { activatedDataDir, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;
// Enough clients with the text that the store stops counting at COUNT_CAP.
const N = COUNT_CAP + 50;
const cap = COUNT_CAP.toLocaleString('en-US');

test.beforeAll(async () => {
  const dataDir = activatedDataDir();
  const store = openStore({ file: databasePath(dataDir) });
  for (let from = 0; from < N; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, N - from) }, (_, i) => from + i);
    await Promise.all(
      batch.map((n) =>
        store.commitActivation(
          activation({ n, at: Date.now() - (N - n) * 1000, machineName: `seed-${String(n).padStart(6, '0')}` }),
        ),
      ),
    );
  }
  store.close();
  host = await serve(dataDir);
});

test.afterAll(async () => {
  await host.stop();
});

test('a text in very many clients shows "10,000+ clients" and still pages', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await page.getByRole('link', { name: 'Clients' }).click();
  // The full-text index lists up to the cap: "seed-" is in more clients, so it is "10,000+".
  await page.getByLabel('Filter clients').fill('seed-');
  await expect(page.getByTestId('clients-total')).toHaveText(`${cap}+ clients`);
  // Two characters are found at the start of a name, address or CMID: here every name's, listed up to the cap.
  await page.getByLabel('Filter clients').fill('Se');
  // The text is asked for once typing pauses: it is in the address then (it finds the same clients as "seed-").
  await expect(page).toHaveURL(/[?&]text=Se(&|$)/);
  await expect(page.getByTestId('clients-total')).toHaveText(`${cap}+ clients`);
  const rows = page.getByTestId('client-row');
  // Most recently seen first.
  await expect(rows.first()).toContainText(`seed-${String(N - 1).padStart(6, '0')}`);
  await expect(page.getByText(`1–50 of ${cap}+`, { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(rows.first()).toContainText(`seed-${String(N - 51).padStart(6, '0')}`);
  await expect(page.getByText(`51–100 of ${cap}+`, { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(rows.first()).toContainText(`seed-${String(N - 1).padStart(6, '0')}`);
  await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();

  // A narrower text: few enough to count exactly, and one page.
  await page.getByLabel('Filter clients').fill('seed-0099');
  await expect(page.getByTestId('clients-total')).toHaveText('100 clients');
  await page.getByLabel('Filter clients').fill('seed-00990');
  await expect(page.getByTestId('clients-total')).toHaveText('10 clients');
  await expect(page.getByRole('button', { name: 'Next' })).toHaveCount(0);
});
