// The watching half of the console, as an admin uses it against `quorum serve` on a fresh data
// directory: health that tells the truth (the host killed, the page says so and greys what it
// shows), events that last (raised, still there after a restart, acknowledged), and the client
// table for daily work (filters, drawer, export). Every view is checked with axe, light and dark,
// and photographed for docs/console.md.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeActivationRequest } from '../../shared/protocol/index.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { activationRequest } from '../support/activated-host.js';
import { activatedDataDir, serve, type ServedHost } from '../support/quorum-cli.js';

let host: ServedHost;
let dataDir: string;

async function activate(product: string, machineName: string, extra: Parameters<typeof activationRequest>[1] = {}) {
  await rpcCall(
    { host: '127.0.0.1', port: host.port },
    0,
    encodeActivationRequest(activationRequest(product, { machineName, ...extra })),
  );
}

test.beforeAll(async () => {
  dataDir = activatedDataDir();
  host = await serve(dataDir);
  // An office of 27 desktops (a few VMs), and two servers the desktop-only key does not cover.
  for (let i = 1; i <= 27; i++) {
    await activate('desktop', `pc-${String(i).padStart(2, '0')}`, { isVm: i % 5 === 0 });
  }
  await activate('server', 'srv-files');
  await activate('server', 'srv-print');
});

test.afterAll(async () => {
  await host?.stop();
});

async function checkA11y(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `docs/img/${name}.png`, fullPage: false });
}

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 800]) {
    test(`every view passes axe and is photographed (${scheme}, ${width} px)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 800 });
      await page.goto(host.consoleUrl);
      await expect(page.getByTestId('connection')).toHaveText(/Serving/);
      await expect(page.getByTestId('application-Operating systems').getByTestId('count')).toHaveText('27');
      await expect(page.locator('.chart canvas').first()).toBeVisible();
      await checkA11y(page, `overview ${scheme} ${width}`);
      await shoot(page, `overview-${scheme}-${width}`);

      await page.getByRole('link', { name: 'Clients' }).click();
      await expect(page.getByTestId('client-row')).toHaveCount(29);
      await checkA11y(page, `clients ${scheme} ${width}`);
      await shoot(page, `clients-${scheme}-${width}`);

      await page.getByRole('link', { name: /^Events/ }).click();
      await expect(page.getByRole('heading', { name: 'Needs attention' })).toBeVisible();
      await checkA11y(page, `events ${scheme} ${width}`);
      await shoot(page, `events-${scheme}-${width}`);
    });
  }
}

test('at 600 px nothing overflows the page and the header stays in view', async ({ page }) => {
  await page.setViewportSize({ width: 600, height: 700 });
  await page.goto(host.consoleUrl);
  for (const view of ['Overview', 'Clients', 'Events']) {
    await page.getByRole('link', { name: new RegExp(`^${view}`) }).click();
    await expect(page.getByRole('heading', { level: 1, name: view })).toBeVisible();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(600);
    await page.mouse.wheel(0, 2000);
    await expect(page.getByRole('heading', { level: 1, name: view })).toBeInViewport();
  }
});

test('the theme follows the system until the admin picks one, and the pick is kept', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(host.consoleUrl);
  const background = () => page.evaluate<string>('getComputedStyle(document.body.parentElement).backgroundColor');
  await expect.poll(background).toBe('rgb(14, 17, 22)');
  await page.getByLabel('Colour theme').selectOption('light');
  await expect.poll(background).toBe('rgb(244, 246, 249)');
  await page.reload();
  await expect(page.getByLabel('Colour theme')).toHaveValue('light');
  await expect.poll(background).toBe('rgb(244, 246, 249)');
  await page.getByLabel('Colour theme').selectOption('system');
  await expect.poll(background).toBe('rgb(14, 17, 22)');
});

test('the client table: filters, details drawer with history, export, and the view in the URL', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await page.getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByTestId('clients-total')).toHaveText('29 clients');

  await page.getByLabel('Machine type').selectOption('vm');
  await expect(page.getByTestId('clients-total')).toHaveText('5 clients');
  await page.getByLabel('Product').selectOption({ label: 'Quorum Server 3' });
  await expect(page.getByTestId('clients-total')).toHaveText('0 clients');
  await expect(page.getByText('No client matches these filters.')).toBeVisible();
  // Back undoes the last filter; a reload keeps the view.
  await page.goBack();
  await expect(page.getByTestId('clients-total')).toHaveText('5 clients');
  await page.reload();
  await expect(page.getByTestId('clients-total')).toHaveText('5 clients');
  await expect(page.getByLabel('Machine type')).toHaveValue('vm');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page.getByTestId('clients-total')).toHaveText('29 clients');
  // The host's answer: the two server clients the desktop key does not cover.
  await page.getByLabel("Host's answer").selectOption({ label: 'refused: not covered by the key' });
  await expect(page.getByTestId('clients-total')).toHaveText('2 clients');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page.getByTestId('clients-total')).toHaveText('29 clients');

  await page.getByLabel('Filter clients').fill('zzz');
  await expect(page.getByText('No client matches these filters.')).toBeVisible();
  await page.getByLabel('Filter clients').fill('srv-');
  await expect(page.getByTestId('client-row')).toHaveCount(2);
  // The host refused them: the row says so, not only what the client reported.
  await expect(page.getByTestId('client-row').first()).toContainText('refused: not covered by the key');

  // Typed a key at a time, the text is asked for once typing pauses, not once per key.
  const windowsAsked: string[] = [];
  page.on('websocket', (ws) =>
    ws.on(
      'framesent',
      (f) => void (String(f.payload).includes('"clients:window"') && windowsAsked.push(String(f.payload))),
    ),
  );
  await page.reload();
  await expect(page.getByTestId('client-row').first()).toBeVisible();
  windowsAsked.length = 0;
  await page.getByLabel('Filter clients').fill('');
  await page.getByLabel('Filter clients').pressSequentially('pc-27', { delay: 30 });
  await expect(page.getByTestId('client-row')).toHaveCount(1);
  expect(windowsAsked.filter((f) => f.includes('"text":"pc-27"'))).toHaveLength(1);
  expect(windowsAsked.filter((f) => /"text":"(p|pc|pc-|pc-2)"/.test(f))).toEqual([]);
  await expect(page.getByTestId('client-row')).toContainText('activated');
  await page.getByRole('button', { name: 'pc-27' }).click();
  const drawer = page.getByRole('dialog', { name: 'pc-27' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('history-row')).toHaveCount(1);
  await expect(drawer).toContainText('Quorum Desktop 3');
  await checkA11y(page, 'drawer');
  await shoot(page, 'client-drawer-light-1280');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(page.getByRole('button', { name: 'pc-27' })).toBeFocused();

  await page.getByLabel('Filter clients').fill('pc-0');
  await expect(page.getByTestId('client-row')).toHaveCount(9);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^quorum-clients-\d{8}T\d{4}Z\.csv$/);
  const csv = readFileSync(await file.path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0]).toMatch(
    /^machineName,address,addresses,productName,productId,applicationId,licenseState,licenseStateName,/,
  );
  expect(csv).toHaveLength(10);
  await expect(page.getByTestId('export-done')).toHaveText('Exported 9 clients to ' + file.suggestedFilename() + '.');
});

test('an event is raised, lasts through a restart, and is acknowledged', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await page.getByRole('link', { name: /^Events/ }).click();
  const uncovered = page.getByTestId('event').filter({ hasText: 'Quorum Server 3, which the host key' });
  await expect(uncovered).toHaveCount(1);
  await expect(uncovered).toContainText('Warning');
  await expect(page.getByTestId('attention-count')).toContainText('1');

  await host.stop();
  host = await serve(dataDir);
  await page.goto(host.consoleUrl);
  await page.getByRole('link', { name: /^Events/ }).click();
  await expect(uncovered).toHaveCount(1);
  await uncovered.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByTestId('nothing-needs-attention')).toBeVisible();
  await expect(page.getByTestId('attention-count')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('nothing-needs-attention')).toBeVisible();
  await expect(page.getByTestId('event').filter({ hasText: 'Quorum Server 3, which the host key' })).toContainText(
    'acknowledged',
  );
});

test('the host killed: the page says so and greys what it shows, with its time', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('connection')).toHaveText(/Serving/);
  host.process.kill('SIGKILL');
  await expect(page.getByTestId('connection')).toHaveText(/Disconnected/);
  await expect(page.getByTestId('disconnected')).toContainText('Disconnected from the host.');
  await expect(page.getByTestId('disconnected')).toContainText(/as of .* and may be out of date/);
  await expect(page.locator('main')).toHaveClass(/stale/);
  // The cards keep their data, greyed, with nothing that claims to be live.
  await expect(page.getByTestId('application-Operating systems').getByTestId('count')).toHaveText('27');
  await shoot(page, 'disconnected-light-1280');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'disconnected-dark-1280');
  host = await serve(dataDir);
});

test('a host with no key: "Not activating", why, the fix, and no "needs N more"', async ({ page }) => {
  const fresh = await serve(mkdtempSync(join(tmpdir(), 'quorum-e2e-nokey-')));
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // A host with no key opens on the first-run page; the Overview says why it is not activating.
      await page.goto(fresh.consoleUrl);
      await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
      await expect(page.getByTestId('connection')).toHaveText('Not activating');
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: 'Overview', exact: true })
        .click();
      const banner = page.getByTestId('not-activating');
      await expect(banner).toContainText('No host key is installed, so the host refuses every client.');
      await expect(banner).toContainText('To fix: Install a host key and activate it');
      await expect(page.getByText(/needs \d+ more/)).toHaveCount(0);
      await checkA11y(page, `not activating ${scheme}`);
      await shoot(page, `not-activating-${scheme}-1280`);
      await page.getByRole('link', { name: /^Events/ }).click();
      await expect(page.getByTestId('event').filter({ hasText: 'not activating clients' })).toContainText(
        'Action needed',
      );
      await checkA11y(page, `not activating events ${scheme}`);
    }
  } finally {
    await fresh.stop();
  }
});
