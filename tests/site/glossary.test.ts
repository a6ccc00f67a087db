/**
 * Verdict badges, glossary pop-ups and the revision sheet, in the built site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, newPage, watch, WCAG_AA } from './browser';
import { SITE } from './config';
import { verdicts, VERDICT_LABELS } from '../../src/verdicts';
import { glossary } from '../../src/glossary';

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

describe('glossary pop-ups', () => {
  const ttl = glossary.find((entry) => entry.id === 'ttl')!;

  async function ttlTerm(page: Page) {
    const term = page.locator('.term[data-term="ttl"]').first();
    const link = term.locator('a.term-link');
    const tip = term.locator('.term-tip');
    return { term, link, tip };
  }

  it('link to the glossary entry and describe the link with the definition', async () => {
    const page = await open('lessons/lookup/');
    const { link, tip } = await ttlTerm(page);
    expect(await link.getAttribute('href')).toBe('/course/glossary/#term-ttl');
    const described = await link.getAttribute('aria-describedby');
    expect(await tip.getAttribute('id')).toBe(described);
    expect(await tip.getAttribute('role')).toBe('tooltip');
    expect(await tip.textContent()).toContain(ttl.definition);
    expect(await tip.isVisible()).toBe(false);
    await page.close();
  });

  it('open on hover without moving the text, and close on Escape or when the pointer leaves', async () => {
    const page = await open('lessons/lookup/');
    const problems = watch(page);
    const { link, tip } = await ttlTerm(page);
    await link.scrollIntoViewIfNeeded();
    const paragraph = link.locator('xpath=ancestor::p[1]');
    const next = paragraph.locator('xpath=following-sibling::*[1]');
    const before = [await paragraph.boundingBox(), await next.boundingBox()];
    await link.hover();
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect([await paragraph.boundingBox(), await next.boundingBox()]).toEqual(before);
    // The pointer may cross onto the pop-up to read it.
    await tip.hover();
    await page.waitForTimeout(300);
    expect(await tip.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await tip.isVisible()).toBe(false);
    await link.hover();
    await expect.poll(() => tip.isVisible()).toBe(true);
    await page.mouse.move(5, 5);
    await expect.poll(() => tip.isVisible()).toBe(false);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('open on keyboard focus and close on Escape, leaving focus on the term', async () => {
    const page = await open('lessons/lookup/');
    const { link, tip } = await ttlTerm(page);
    // Tab to the term as a keyboard user would, from the link before it.
    await link.evaluate((element) => {
      const links = [...document.querySelectorAll<HTMLElement>('main a[href]')];
      links[links.indexOf(element as HTMLElement) - 1]!.focus();
    });
    await page.keyboard.press('Tab');
    expect(await link.evaluate((element) => element === document.activeElement)).toBe(true);
    await expect.poll(() => tip.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await tip.isVisible()).toBe(false);
    expect(await link.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => tip.isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    await expect.poll(() => tip.isVisible()).toBe(false);
    await page.close();
  });

  it('pass axe while open, in light and dark themes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await open('lessons/churn/', { colorScheme });
      const terms = page.locator('.term a.term-link');
      expect(await terms.count()).toBeGreaterThan(3);
      await terms.nth(1).focus();
      await expect.poll(() => page.locator('.term-tip:visible').count()).toBe(1);
      // Every violation, not only the serious ones: the pop-ups are the glossary's own.
      const results = await new AxeBuilder({ page }).setLegacyMode(true).include('.term').withTags(WCAG_AA).analyze();
      expect(
        results.violations.map((v) => `${v.id}: ${v.help}`),
        colorScheme,
      ).toEqual([]);
      await page.close();
    }
  });

  it('stay inside the screen at 360 px and add no horizontal scroll', async () => {
    const page = await open('lessons/lookup/', { viewport: { width: 360, height: 740 } });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    for (const term of await page.locator('.term').all()) {
      await term.locator('a.term-link').focus();
      const tip = term.locator('.term-tip');
      await expect.poll(() => tip.isVisible()).toBe(true);
      const box = (await tip.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      await page.keyboard.press('Escape');
    }
    await page.close();
  });

  it('lead to entries of the glossary page, which lists every term', async () => {
    const page = await open('glossary/');
    expect(await page.locator('.glossary dt').count()).toBe(glossary.length);
    for (const entry of glossary) {
      expect(await page.locator(`dt#term-${entry.id}`).textContent()).toBe(entry.term);
    }
    const lesson = await open('lessons/churn/');
    const targets = await lesson.locator('a.term-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    for (const target of targets) expect(await page.locator(`dt${target.slice(target.indexOf('#'))}`).count(), target).toBe(1);
    await lesson.close();
    await page.close();
  });

  it('are found from the sidebar', async () => {
    const page = await open('lessons/churn/');
    const link = page.locator('#starlight__sidebar a', { hasText: 'Glossary' });
    expect(await link.getAttribute('href')).toBe('/course/glossary/');
    await page.close();
  });
});

describe('the revision sheet', () => {
  it('lists every claim with its verdict, a formula and a drawn chart, without a script', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(`${SITE}revision/`);
    const items = page.locator('[data-revision-item]');
    expect(await items.count()).toBe(verdicts.length);
    for (const verdict of verdicts) {
      const item = page.locator(`[data-revision-item="${verdict.id}"]`);
      expect(await item.locator('.verdict-claim').innerText()).toContain(verdict.claim);
      expect(await item.locator('.verdict-badge').innerText()).toContain(VERDICT_LABELS[verdict.verdict].word);
      expect(await item.locator('.katex').count(), verdict.id).toBeGreaterThanOrEqual(verdict.formulas.length);
      const chart = item.locator('svg.static-chart');
      expect(await chart.count()).toBe(1);
      const box = (await chart.boundingBox())!;
      expect(box.height).toBeGreaterThan(100);
      expect(await chart.locator('circle, path.chart-line').count(), verdict.id).toBeGreaterThan(0);
    }
    await page.close();
  });

  it('prints without the site header and sidebar, each chart within an A4 page', async () => {
    const page = await open('revision/');
    await page.emulateMedia({ media: 'print' });
    // A4 at 96 px per inch, less 15 mm margins each side.
    await page.setViewportSize({ width: Math.round(((210 - 30) / 25.4) * 96), height: Math.round(((297 - 30) / 25.4) * 96) });
    for (const selector of ['header.header', 'nav.sidebar', '.right-sidebar-container', '.revision-print']) {
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    }
    const pageHeight = ((297 - 30) / 25.4) * 96;
    const pageWidth = ((210 - 30) / 25.4) * 96;
    for (const item of await page.locator('[data-revision-item]').all()) {
      const chart = (await item.locator('svg.static-chart').boundingBox())!;
      expect(chart.width).toBeLessThanOrEqual(pageWidth);
      expect(chart.height).toBeLessThan(pageHeight / 2);
      expect((await item.boundingBox())!.height).toBeLessThan(pageHeight);
    }
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.close();
  });

  it('is in the sidebar', async () => {
    const page = await open('glossary/');
    expect(await page.locator('#starlight__sidebar a', { hasText: 'Revision sheet' }).getAttribute('href')).toBe('/course/revision/');
    await page.close();
  });
});

describe('at 360 px wide', () => {
  it.each(['lessons/comparison/', 'lessons/verdicts/', 'glossary/', 'revision/'])('/%s has no horizontal scroll', async (path) => {
    const page = await open(path, { viewport: { width: 360, height: 740 } });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(360);
    await page.close();
  });
});
