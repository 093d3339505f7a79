#!/usr/bin/env node
// Renders the Tessera mosaic logo (an SVG drawn here) to the PNG icons the web manifest needs.
// Chromium draws the SVG so the PNGs match the favicon exactly. Run: node scripts/make-icons.js
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const out = fileURLToPath(new URL('../static/icons/', import.meta.url));

// 5×5 tiles; 'T' marks the letter, 't' a token tile (teal), '.' the ground.
const pattern = ['TTTTT', '..T..', '.tT..', '..T.t', '..T..'];
const letter = ['#f0b45a', '#e8a03f', '#e08a3a', '#d9733a', '#cf5f36'];
const ground = ['#2b3b52', '#324460', '#2f405a'];

/** The logo as SVG; `maskable` insets the tiles into the 80 % safe zone and fills the corners. */
export function logoSvg(maskable = false) {
  const size = 512;
  const grid = maskable ? 300 : 400;
  const origin = (size - grid) / 2;
  const cell = grid / 5;
  const gap = cell * 0.12;
  const tiles = [];
  pattern.forEach((row, y) =>
    [...row].forEach((mark, x) => {
      const fill = mark === 'T' ? letter[y] : mark === 't' ? '#2fa39a' : ground[(x * 7 + y * 3) % ground.length];
      const px = origin + x * cell + gap / 2;
      const py = origin + y * cell + gap / 2;
      tiles.push(`<rect x="${px}" y="${py}" width="${cell - gap}" height="${cell - gap}" rx="${cell * 0.14}" fill="${fill}"/>`);
    })
  );
  const radius = maskable ? 0 : 96;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}">` +
    `<rect width="${size}" height="${size}" rx="${radius}" fill="#1a2535"/>${tiles.join('')}</svg>\n`;
}

async function render(browser, svg, px, file) {
  const page = await browser.newPage({ viewport: { width: px, height: px }, deviceScaleFactor: 1 });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${px}px;height:${px}px}</style>${svg}`);
  await page.screenshot({ path: `${out}${file}`, omitBackground: true, clip: { x: 0, y: 0, width: px, height: px } });
  await page.close();
}

mkdirSync(out, { recursive: true });
writeFileSync(`${out}icon.svg`, logoSvg());
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu']
});
try {
  await render(browser, logoSvg(), 192, 'icon-192.png');
  await render(browser, logoSvg(), 512, 'icon-512.png');
  await render(browser, logoSvg(true), 512, 'icon-maskable-512.png');
  await render(browser, logoSvg(), 180, 'apple-touch-icon.png');
  await render(browser, logoSvg(), 32, 'favicon-32.png');
} finally {
  await browser.close();
}
console.log(`icons written to ${out}`);
