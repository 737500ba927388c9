#!/usr/bin/env node
// Renders build/icon.svg, the one designed source, to the PNGs the installers and the tray use:
// build/icon.png (1024 px; electron-builder derives .ico and .icns from it) and build/icons/NxN.png
// for Linux, and the tray's icon (src-main/electron/tray-icon-data.ts). Run once after changing the SVG (`npm run icons`); the PNGs are committed, so
// packaging needs no renderer. Uses Chromium through Playwright (a devDependency).
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const svg = readFileSync('build/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu'],
});
mkdirSync('build/icons', { recursive: true });
const targets = [
  ['build/icon.png', 1024],
  ...[16, 32, 48, 64, 128, 256, 512].map((n) => [`build/icons/${n}x${n}.png`, n]),
];
for (const [file, size] of targets) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`,
  );
  await page.screenshot({ path: file, omitBackground: true });
  await page.close();
}
await browser.close();
// The tray's icon travels inside the main bundle (16 px and its 2x), so it needs no file path.
const dataUrl = (n) => `data:image/png;base64,${readFileSync(`build/icons/${n}x${n}.png`).toString('base64')}`;
writeFileSync(
  'src-main/electron/tray-icon-data.ts',
  `// Written by scripts/render-icons.js from build/icon.svg; do not edit.\nexport const TRAY_ICON_1X =\n  '${dataUrl(16)}';\nexport const TRAY_ICON_2X =\n  '${dataUrl(32)}';\n`,
);
process.stdout.write(`rendered ${targets.length} icons from build/icon.svg\n`);
