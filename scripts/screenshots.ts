/**
 * Looks at every lab as a reader would: runs it on its own page at its defaults and at
 * every preset, at 1280 px and 360 px wide, and saves a screenshot of each result.
 *
 *   npm run build && npm run screenshots -- [--out DIR] [--dir dist] [--base /] [--lab ID ...] [--width 1280]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { manifests } from '../labs/manifests';
import { defaults } from '../labs/kernel/manifest';
import { serveStatic } from './serve-static';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}
function options(name: string): string[] {
  return process.argv.flatMap((arg, index) => (arg === `--${name}` ? [process.argv[index + 1] ?? ''] : []));
}

const out = option('out', 'screenshots');
const dir = option('dir', 'dist');
/** The base path the site was built for (BASE_PATH). */
const base = option('base', '/');
const labs = options('lab');
const widths = options('width').map(Number);
const port = 4399;

mkdirSync(out, { recursive: true });
const server = await serveStatic(dir, base, port);
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const width of widths.length > 0 ? widths : [1280, 360]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('pageerror', (error) => console.error(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`console: ${message.text()}`);
    });
    for (const manifest of manifests.filter((m) => labs.length === 0 || labs.includes(m.id))) {
      const cases = [
        { id: 'defaults', values: defaults(manifest) },
        ...(manifest.presets ?? []).map((p) => ({ id: p.id, values: { ...defaults(manifest), ...p.values } })),
      ];
      for (const [index, testCase] of cases.entries()) {
        const query = new URLSearchParams(Object.entries(testCase.values).map(([k, v]) => [`${manifest.id}.${k}`, String(v)]));
        query.set(`${manifest.id}.seed`, '1');
        await page.goto(`${server.url}labs/${manifest.id}/?${query}`);
        // Starlight's sticky header would cover part of an element screenshot.
        await page.addStyleTag({ content: 'header.header { position: static !important; }' });
        const lab = page.locator(`#lab-${manifest.id}`);
        await lab.scrollIntoViewIfNeeded();
        await page.waitForFunction(
          (selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1',
          `#lab-${manifest.id}`,
          { timeout: 120_000 },
        );
        const file = join(out, `${manifest.id}-${String(index).padStart(2, '0')}-${testCase.id}-${width}.png`);
        await lab.locator('[data-output]').screenshot({ path: file });
        console.log(file);
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
