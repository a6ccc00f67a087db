/**
 * Verdict badges, glossary pop-ups and the revision sheet, in the built site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, newPage, watch } from './browser';
import { SITE } from './config';
import { verdicts, VERDICT_LABELS } from '../../src/verdicts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function open(path: string, options: Parameters<typeof newPage>[1] = {}): Promise<Page> {
  const page = await newPage(browser, options);
  await page.goto(`${SITE}${path}`, { waitUntil: 'networkidle' });
  return page;
}

describe('verdict badges', () => {
  it('sit beside every claim of the comparison table, each linking to its explanation', async () => {
    const page = await open('lessons/comparison/');
    const claims = page.locator('.claim');
    expect(await claims.count()).toBe(verdicts.length);
    for (const claim of await claims.all()) {
      const text = (await claim.textContent()) ?? '';
      const verdict = verdicts.find((v) => text.replace(/[’]/g, "'").includes(v.claim));
      expect(verdict, text).toBeDefined();
      const badge = claim.locator('a.verdict-badge');
      expect(await badge.count()).toBe(1);
      expect(await badge.innerText()).toContain(VERDICT_LABELS[verdict!.verdict].word);
      expect(await badge.getAttribute('href')).toBe(`/course/lessons/verdicts/#verdict-${verdict!.id}`);
    }
    await page.close();
  });

  it('lead to a section of the verdicts lesson that shows the same verdict and links to its lab', async () => {
    const page = await open('lessons/comparison/');
    const badge = page.locator('a.verdict-badge').first();
    const href = (await badge.getAttribute('href'))!;
    await badge.click();
    await page.waitForURL(`**${href}`);
    const section = page.locator(href.slice(href.indexOf('#')));
    await expect.poll(() => section.isVisible()).toBe(true);
    const id = href.split('#verdict-')[1];
    const verdict = verdicts.find((v) => v.id === id)!;
    expect(await section.locator('.verdict-claim').innerText()).toContain(verdict.claim);
    expect(await section.locator('.verdict-badge').innerText()).toContain(VERDICT_LABELS[verdict.verdict].word);
    const labLinks = await section.locator('.verdict-labs a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(labLinks.length).toBe(verdict.labs.length);
    for (const link of labLinks) expect(link).toMatch(/^\/course\/lessons\/[a-z-]+\/#lab-[a-z-]+$/);
    await page.close();
  });

  it('give the verdicts lesson one section per claim, each no taller than a screen', async () => {
    const page = await open('lessons/verdicts/', { viewport: { width: 1280, height: 800 } });
    const sections = page.locator('.verdict-card');
    expect(await sections.count()).toBe(verdicts.length);
    for (const section of await sections.all()) {
      const box = (await section.boundingBox())!;
      expect(box.height).toBeLessThan(800);
    }
    await page.close();
  });

  it('show in each lab beside the claims it tests', async () => {
    const page = await open('labs/file-distribution/');
    const badges = page.locator('.lab-claims .verdict-badge');
    expect(await badges.count()).toBeGreaterThan(0);
    await page.close();
  });
});
