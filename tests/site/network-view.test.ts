/**
 * Comparing and exporting a lab's results: pinning a run, a chart's key, and downloading a chart
 * as PNG.
 * (Each lab's network view is checked after its first run, in all-labs.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage, watch } from './browser';
import { SITE } from './config';
import { findManifest } from '../../labs/manifests';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function runLab(page: Page, id: string, runs = 1): Promise<void> {
  const lab = `#lab-${id}`;
  await page.locator(`${lab} [data-run]`).click();
  await page.waitForFunction(
    ([selector, count]) => document.querySelector(selector as string)?.getAttribute('data-runs') === String(count),
    [lab, runs] as const,
    { timeout: 90_000 },
  );
}

describe('comparing and exporting', () => {
  it('pins a run on every chart, keeps it in the URL, restores it from a link, and unpins', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    const id = 'file-distribution';
    const lab = `#lab-${id}`;
    await page.goto(`${SITE}labs/${id}/?${id}.peers=50&${id}.seed=1`);
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, { timeout: 60_000 });
    const pin = page.locator(`${lab} [data-pin]`);
    await pin.click();
    expect(await pin.getAttribute('aria-pressed')).toBe('true');
    expect(new URL(page.url()).searchParams.get(`${id}.pin`)).toContain('peers:50');

    await page.locator(`${lab} [name="peers"]`).fill('100');
    await runLab(page, id, 2);
    // The charts' text alternative names the pinned run and what differs.
    const description = await page.locator(`${lab} [data-chart] [data-description]`).first().textContent();
    expect(description).toContain('pinned: Largest number of peers N = 50 peers');
    const link = page.url();
    expect(new URL(link).searchParams.get(`${id}.peers`)).toBe('100');

    // A shared link brings the pinned run back.
    const second = await newPage(browser);
    await second.goto(link);
    await second.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, {
      timeout: 60_000,
    });
    await second.waitForFunction(
      (selector) => document.querySelector(`${selector} [data-pin]`)?.getAttribute('aria-pressed') === 'true',
      lab,
      { timeout: 60_000 },
    );
    await second.close();

    await pin.click();
    expect(await pin.getAttribute('aria-pressed')).toBe('false');
    expect(new URL(page.url()).searchParams.has(`${id}.pin`)).toBe(false);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it("lists each chart's series in a key whose entries hide and show them from the keyboard", async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    const id = 'server-load';
    const lab = `#lab-${id}`;
    await page.goto(`${SITE}labs/${id}/`);
    await page.locator(`${lab}[data-ready]`).waitFor();
    await runLab(page, id);
    const spec = findManifest(id)!.charts[0]!;
    const figure = page.locator(`${lab} [data-chart="${spec.id}"]`);
    const entries = figure.locator('[data-legend] button');
    expect(await entries.allTextContents()).toEqual(spec.series.map((series) => series.label));
    const pixels = () => figure.locator('canvas').evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL());
    const before = await pixels();

    const first = entries.first();
    await first.focus();
    await page.keyboard.press('Enter');
    expect(await first.getAttribute('aria-pressed')).toBe('false');
    expect(await pixels()).not.toBe(before);
    await page.keyboard.press('Space');
    expect(await first.getAttribute('aria-pressed')).toBe('true');
    expect(await pixels()).toBe(before);

    // A series hidden stays hidden in the next run, and its button keeps the focus.
    await page.keyboard.press('Enter');
    // Run without moving the focus, as a run started from another control would.
    await page.locator(`${lab} [data-run]`).evaluate((run) => (run as HTMLButtonElement).click());
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '2', lab, {
      timeout: 90_000,
    });
    expect(await first.getAttribute('aria-pressed')).toBe('false');
    expect(await first.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('downloads a chart as a PNG image', async () => {
    const page = await newPage(browser, { acceptDownloads: true });
    const id = 'cost';
    const lab = `#lab-${id}`;
    await page.goto(`${SITE}labs/${id}/`);
    await page.locator(`${lab}[data-ready]`).waitFor();
    await runLab(page, id);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`${lab} [data-png]`).first().click()]);
    expect(download.suggestedFilename()).toMatch(/^cost-.+-seed-1\.png$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(path);
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(5000);
    // The key is drawn under the plot: the image is taller than the canvas.
    const canvasHeight = await page
      .locator(`${lab} [data-chart] canvas`)
      .first()
      .evaluate((canvas) => (canvas as HTMLCanvasElement).height);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(canvasHeight + 20);
    await page.close();
  });
});
