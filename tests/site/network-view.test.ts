/**
 * The network view of every lab, on the lab's own page: after a run it shows the
 * recorded small instance; Step changes the picture and the words, Play turns into
 * Pause and moves time on, the slider scrubs, Reset returns to the start, and axe finds
 * nothing serious in it. Then pinning a run and downloading a chart as PNG.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { manifests } from '../../labs/manifests';
import { launch, newPage, watch } from './browser';
import { SITE } from './config';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A cheap fingerprint of what the canvas shows. */
const canvasPrint = (page: Page, selector: string) =>
  page.locator(selector).evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    // Read a copy, so the page's own canvas is never read back (Chrome warns on repeated reads).
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const context = copy.getContext('2d', { willReadFrequently: true });
    context?.drawImage(c, 0, 0);
    const pixels = context?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    let hash = 0;
    for (let i = 0; i < pixels.length; i += 7) hash = (Math.imul(hash, 31) + (pixels[i] ?? 0)) | 0;
    return hash;
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

describe.each(manifests.map((m) => [m.id] as const))('the %s network view', (id) => {
  it('plays, steps, scrubs and resets the run’s own small instance', async () => {
    const page = await newPage(browser, { reducedMotion: 'no-preference' });
    const problems = watch(page);
    const lab = `#lab-${id}`;
    const view = `${lab} [data-network]`;
    await page.goto(`${SITE}labs/${id}/`);
    await page.locator(`${lab}[data-ready]`).waitFor();
    await runLab(page, id);

    const region = page.getByRole('region', { name: 'Network view' });
    await expect.poll(() => region.isVisible()).toBe(true);
    expect((await page.locator(`${view} [data-network-caption]`).textContent())?.length).toBeGreaterThan(10);
    const text = page.locator(`${view} [data-network-text]`);
    const canvas = `${view} canvas`;
    const firstText = await text.textContent();
    const firstPicture = await canvasPrint(page, canvas);
    expect(firstText).toMatch(/^(t = |[a-z][a-z ]* \d+: )/);

    // Step: one frame on, new words; the picture changes within a few steps (a frame in
    // which no message moves and no queue changes may look like the one before).
    await page.locator(`${view} [data-network-step]`).click();
    expect(await page.locator(view).getAttribute('data-frame')).toBe('1');
    expect(await text.textContent()).not.toBe(firstText);
    let stepped = 1;
    while ((await canvasPrint(page, canvas)) === firstPicture && stepped < 10) {
      await page.locator(`${view} [data-network-step]`).click();
      stepped++;
    }
    expect(await canvasPrint(page, canvas)).not.toBe(firstPicture);

    // Play becomes Pause and time moves on; Pause stops it.
    const play = page.locator(`${view} [data-network-play]`);
    await play.click();
    expect(await play.textContent()).toBe('Pause');
    expect(await play.getAttribute('aria-pressed')).toBe('true');
    await page.waitForFunction(([selector, from]) => Number(document.querySelector(selector as string)?.getAttribute('data-frame')) > (from as number), [view, stepped] as const, { timeout: 10_000 });
    await play.click();
    expect(await play.textContent()).toBe('Play');
    const paused = await page.locator(view).getAttribute('data-frame');
    await page.waitForTimeout(900);
    expect(await page.locator(view).getAttribute('data-frame')).toBe(paused);

    // The slider scrubs by keyboard: End is the last frame, Home the first.
    const slider = page.locator(`${view} [data-network-time]`);
    await slider.focus();
    await page.keyboard.press('End');
    const last = Number(await slider.getAttribute('max'));
    expect(Number(await page.locator(view).getAttribute('data-frame'))).toBe(last);
    expect(await slider.getAttribute('aria-valuetext')).toContain(`frame ${last + 1} of ${last + 1}`);
    await page.locator(`${view} [data-network-reset]`).click();
    expect(await page.locator(view).getAttribute('data-frame')).toBe('0');
    expect(await text.textContent()).toBe(firstText);

    const axe = await new AxeBuilder({ page }).include(view).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});

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
    await second.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-runs') === '1', lab, { timeout: 60_000 });
    await second.waitForFunction((selector) => document.querySelector(`${selector} [data-pin]`)?.getAttribute('aria-pressed') === 'true', lab, { timeout: 60_000 });
    await second.close();

    await pin.click();
    expect(await pin.getAttribute('aria-pressed')).toBe('false');
    expect(new URL(page.url()).searchParams.has(`${id}.pin`)).toBe(false);
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
    await page.close();
  });
});
