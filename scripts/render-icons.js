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
// The tray shows the host's state: the icon alone when all is well, with an amber dot when
// something needs attention, a red one when the host does not activate clients.
const BADGES = { ATTENTION: '#d97706', NOT_ACTIVATING: '#dc2626' };
const trayPng = async (size, badge) => {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const dot = badge
    ? `<div style="position:absolute;right:0;bottom:0;width:${size * 0.5}px;height:${size * 0.5}px;border-radius:50%;background:${badge};box-shadow:0 0 0 ${size / 16}px #fff"></div>`
    : '';
  await page.setContent(
    `<html><body style="margin:0;background:transparent;position:relative;width:${size}px;height:${size}px">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}${dot}</body></html>`,
  );
  const png = await page.screenshot({ omitBackground: true });
  await page.close();
  return `data:image/png;base64,${png.toString('base64')}`;
};
const lines = ['// Written by scripts/render-icons.js from build/icon.svg; do not edit.'];
for (const [name, badge] of [['OK', null], ...Object.entries(BADGES)]) {
  for (const [scale, size] of [
    ['1X', 16],
    ['2X', 32],
  ]) {
    lines.push(`export const TRAY_ICON_${name}_${scale} =\n  '${await trayPng(size, badge)}';`);
  }
}
await browser.close();
// The tray's icons travel inside the main bundle (16 px and their 2x), so they need no file path.
writeFileSync('src-main/electron/tray-icon-data.ts', `${lines.join('\n')}\n`);
process.stdout.write(`rendered ${targets.length} icons from build/icon.svg\n`);
