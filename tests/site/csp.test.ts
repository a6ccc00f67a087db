/**
 * The Content-Security-Policy (src/csp.ts), as a host that reads public/_headers serves it
 * (scripts/serve-static.ts does, for every browser test): it is strict, every page also
 * carries it in a <meta> tag, and with it in force no page, lab, worker, search or theme
 * picker meets a single violation.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, mountVisibleLabs, newPage, recordViolations, watch } from './browser';
import { pageKinds } from './built-pages';
import { OUT_DIR, SITE } from './config';
import { parseHeaders } from '../../scripts/serve-static';
import { cspHeader } from '../../src/csp';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element } from 'hast';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [relative(OUT_DIR, path).split(sep).join('/')] : [];
  });
}

const files = htmlFiles(OUT_DIR);
const pages = files.filter((file) => file.endsWith('index.html')).map((file) => file.replace(/index\.html$/, ''));

/** Scrolls to the foot of the page in steps, so every lab and lazy script loads. */
async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  });
  await page.waitForLoadState('networkidle');
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the policy', () => {
  const rules = parseHeaders(readFileSync('public/_headers', 'utf8'));
  const headerPolicy =
    rules.find((rule) => rule.pattern.test('/'))?.headers.find(([name]) => name === 'Content-Security-Policy')?.[1] ?? '';
  const directive = (name: string) =>
    headerPolicy
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? '';

  it('is strict and public/_headers says what src/csp.ts says', () => {
    expect(headerPolicy).toBe(cspHeader());
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('base-uri')).toBe("base-uri 'self'");
    expect(directive('worker-src')).toBe("worker-src 'self'");
    expect(directive('font-src')).toBe("font-src 'self'");
  });

  it.each(files)('%s carries it in a <meta> tag and has no inline script', (file) => {
    const html = readFileSync(join(OUT_DIR, file), 'utf8');
    const meta = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html)?.[1] ?? '';
    expect(meta).toContain("object-src 'none'");
    expect(meta).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(meta.match(/script-src[^;]*/)?.[0]).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    // Scripts as the browser parses them (a code sample's "<script>" in an attribute is text).
    const inline: string[] = [];
    visit(fromHtml(html), 'element', (element: Element) => {
      if (element.tagName !== 'script' || element.properties['src'] !== undefined || element.properties['type'] === 'application/json')
        return;
      inline.push(JSON.stringify(element.children).slice(0, 120));
    });
    expect(inline).toEqual([]);
  });

  it('is sent as a header with every page', async () => {
    const response = await fetch(`${SITE}lessons/churn/`);
    expect(response.headers.get('content-security-policy')).toBe(cspHeader());
  });
});

describe('with the policy in force', () => {
  it('includes every page', () => {
    expect(pages).toContain('');
    expect(pages).toContain('labs/churn/');
    expect(pages).toContain('embed/churn/');
    expect(pages.length).toBeGreaterThan(20);
  });

  it.each(pageKinds())('/%s loads, and mounts its labs, with no violation', async (path) => {
    const page = await newPage(browser);
    const problems = watch(page);
    const violations = await recordViolations(page);
    const response = await page.goto(`${SITE}${path}`, { waitUntil: 'networkidle' });
    expect(response?.headers()['content-security-policy']).toBe(cspHeader());
    await scrollThrough(page);
    await mountVisibleLabs(page);
    expect(await violations()).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  // Each lab's run in its workers and its network view's play meet the policy in
  // all-labs.test.ts, which records violations the same way.

  it('search finds a lesson (Pagefind’s WebAssembly runs)', async () => {
    const page = await newPage(browser);
    const violations = await recordViolations(page);
    await page.goto(SITE, { waitUntil: 'networkidle' });
    await page
      .getByRole('button', { name: /search/i })
      .first()
      .click();
    await page.locator('dialog .pagefind-ui__search-input').fill('churn');
    await page.locator('dialog a[href*="/course/lessons/"]').first().waitFor({ timeout: 15_000 });
    // The keyboard hint the inline script used to reveal is shown by a script file.
    expect(await page.locator('site-search button[data-open-modal] > kbd').evaluate((kbd) => (kbd as HTMLElement).style.display)).toBe('');
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('the theme picker switches the theme, and the choice holds on the next page', async () => {
    const page = await newPage(browser, { colorScheme: 'dark' });
    const problems = watch(page);
    const violations = await recordViolations(page);
    await page.goto(SITE);
    const theme = () => page.evaluate(() => document.documentElement.dataset['theme']);
    expect(await theme()).toBe('dark');
    await page.locator('starlight-theme-select select').first().selectOption('light');
    expect(await theme()).toBe('light');
    await page.goto(`${SITE}lessons/churn/`);
    expect(await theme()).toBe('light');
    expect(await page.locator('starlight-theme-select select').first().inputValue()).toBe('light');
    expect(await violations()).toEqual([]);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('“On this page” marks the section scrolled to, on a wide screen and in the phone’s menu', async () => {
    for (const [width, list] of [
      [1280, 'starlight-toc'],
      [360, 'mobile-starlight-toc'],
    ] as const) {
      const page = await newPage(browser, { viewport: { width, height: 800 } });
      const problems = watch(page);
      const violations = await recordViolations(page);
      await page.goto(`${SITE}lessons/server-load/`, { waitUntil: 'networkidle' });
      const current = page.locator(`${list} a[aria-current="true"]`);
      await expect.poll(() => current.textContent(), { timeout: 10_000 }).toBe('Overview');
      // The second section's heading just under the header, then a little lower: it, then the section before.
      const headings = await page.locator('.sl-markdown-content h2').allTextContents();
      for (const [offset, expected] of [
        [100, headings[1]],
        [180, headings[0]],
      ] as const) {
        await page.evaluate((offset) => {
          const heading = document.querySelectorAll('.sl-markdown-content h2')[1] as HTMLElement;
          window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - offset);
        }, offset);
        await expect.poll(() => current.textContent(), { timeout: 10_000 }).toBe(expected);
      }
      if (width < 1000) expect(await page.locator('.display-current').textContent()).toBe(headings[0]);
      expect(await violations()).toEqual([]);
      expect(problems.console).toEqual([]);
      await page.close();
    }
  });

  it('display math is laid out with KaTeX’s fonts', async () => {
    const page = await newPage(browser);
    const violations = await recordViolations(page);
    await page.goto(`${SITE}labs/file-distribution/`, { waitUntil: 'networkidle' });
    await page.locator('details.lab-method > summary').first().click();
    const display = page.locator('.katex-display').first();
    await display.waitFor();
    const box = await display.boundingBox();
    expect(box?.height).toBeGreaterThan(20);
    await page.evaluate(() => document.fonts.ready);
    const loaded = await page.evaluate(() => [...document.fonts].filter((font) => font.status === 'loaded').map((font) => font.family));
    expect(loaded.some((family) => family.includes('KaTeX_Main'))).toBe(true);
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
