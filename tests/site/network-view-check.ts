/**
 * The network view of a lab that has just run: it shows the run's recorded small
 * instance; Step changes the picture and the words, Play turns into Pause and moves time
 * on, the slider scrubs, Reset returns to the start, and axe finds nothing serious in it.
 * tests/site/all-labs.test.ts checks it for every lab, after the lab's first run.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { canvasPixels, seriousAxeIssues, WCAG_AA } from './browser';

/** A cheap fingerprint of what the canvas shows. */
const canvasPrint = async (page: Page, selector: string) => (await canvasPixels(page.locator(selector))).print;

export async function expectWorkingNetworkView(page: Page, id: string): Promise<void> {
  const lab = `#lab-${id}`;
  const view = `${lab} [data-network]`;
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
  await page.waitForFunction(
    ([selector, from]) => Number(document.querySelector(selector as string)?.getAttribute('data-frame')) > (from as number),
    [view, stepped] as const,
    { timeout: 10_000 },
  );
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

  expect(await seriousAxeIssues(page, { include: [view], tags: WCAG_AA })).toEqual([]);
}
