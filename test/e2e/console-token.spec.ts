// A person who opens the console without its token (typing 127.0.0.1:8690), or with an old one, is
// told why and what to open instead; before, the page said "Disconnected, retrying…" for ever.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../support/console-checks.js';
import { activatedDataDir, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;

test.beforeAll(async () => {
  host = await serve(activatedDataDir());
});

test.afterAll(async () => {
  await host.stop();
});

test('without the token the console says it is missing and where to find the URL', async ({ page }) => {
  await page.goto(new URL(host.consoleUrl).origin);
  await expect(page.getByTestId('connection')).toHaveText('Refused');
  await expect(page.getByTestId('refused')).toContainText('The console token is missing');
  await expect(page.getByTestId('refused')).toContainText('quorum serve');
  // Nothing under it waits for a status that will never come.
  await expect(page.getByText('Loading host status…')).toHaveCount(0);
  await expectAccessible(page);
});

test('with a wrong token the console says it is wrong', async ({ page }) => {
  await page.goto(`${new URL(host.consoleUrl).origin}/?token=an-old-token-from-another-data-dir`);
  await expect(page.getByTestId('refused')).toContainText('The console token is wrong');
  expect(page.url()).not.toContain('token=');
});

test('with the right token it connects and shows no refusal', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('connection')).toHaveText('Serving');
  await expect(page.getByTestId('refused')).toHaveCount(0);
});
