/** Launches Debian's Chromium through playwright-core and records what a page reports. */
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { CHROMIUM } from './config';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PageProblems {
  console: string[];
  failedRequests: string[];
}

const SERVICE_WORKER_BLOCKED = 'Service Worker registration blocked by Playwright';

/** Collects console errors, uncaught exceptions and failed same-site requests. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { console: [], failedRequests: [] };
  page.on('console', (message) => {
    // Said by Playwright itself where newPage() blocks the service worker, not by the site.
    if (message.text() === SERVICE_WORKER_BLOCKED) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.console.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith('blob:')) problems.failedRequests.push(`${request.url()} (${request.failure()?.errorText ?? ''})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()} (${response.status()})`);
  });
  return problems;
}

/**
 * A page in a context of its own (axe needs one); closing the page closes the context.
 * The course's service worker is blocked unless asked for: it would download the whole
 * site behind every test (tests/site/offline.test.ts tests it).
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  const page = await context.newPage();
  // The browser may already be closing at the end of a file; nothing is left to clean up then.
  page.on('close', () => {
    context.close().catch(() => {});
  });
  return page;
}

/**
 * Opens a lab's data tables (built when opened, as a reader opens them) and waits for
 * their rows.
 */
export async function openTables(page: Page, lab: string): Promise<void> {
  await page.locator(`${lab} details.lab-table`).evaluateAll((details) => {
    for (const element of details) (element as HTMLDetailsElement).open = true;
  });
  await page.waitForFunction((selector) => {
    const tables = [...document.querySelectorAll(`${selector} details.lab-table`)];
    return tables.every((details) => details.querySelector('tbody tr') && !(details as HTMLElement).hasAttribute('data-stale'));
  }, lab);
}

/** The WCAG A and AA rules, for checks of one part of a page (the page itself gets axe's default set). */
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe's serious and critical issues on the page, one line each: its default rule set (or
 * the rules of `tags`), plus its experimental check that a control's accessible name
 * contains its visible text (WCAG 2.5.3), which the search button once failed. `include`
 * limits the check to parts of the page, `exclude` leaves one out.
 */
export async function seriousAxeIssues(
  page: Page,
  options: { exclude?: string; include?: string[]; tags?: string[] } = {},
): Promise<string[]> {
  const builder = new AxeBuilder({ page }).options({
    rules: { 'label-content-name-mismatch': { enabled: true } },
    // Only violations are read: axe then skips describing every passing node, most of its
    // time on a big page.
    resultTypes: ['violations'],
  });
  if (options.exclude) builder.exclude(options.exclude);
  for (const selector of options.include ?? []) builder.include(selector);
  if (options.tags) builder.withTags(options.tags);
  // The course has no iframes, so axe runs in the page itself, not frame by frame and then
  // once more in a blank page of its own: half the time.
  builder.setLegacyMode(true);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')})`,
    );
}

/**
 * Waits until every lab shown on the page has mounted, scrolling each into view as a
 * reader would (a lab inside a closed example is left alone). A fast scripted scroll can
 * pass a lab between two frames, so its observer never sees it: scrolling to it is what a
 * reader does.
 */
export async function mountVisibleLabs(page: Page): Promise<void> {
  for (const lab of await page.locator('section.lab[data-lab]').all()) {
    if (!(await lab.isVisible())) continue;
    await lab.scrollIntoViewIfNeeded();
    await lab.and(page.locator('[data-ready]')).waitFor();
  }
}

/** Records every `securitypolicyviolation` event from the first moment of the page. */
export async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/**
 * What a canvas shows: how many of its pixels are painted, and a cheap fingerprint of them.
 * It reads a copy, so the page's own canvas is never read back: Chromium warns on the
 * console when one canvas is read repeatedly, and the tests require a silent console.
 */
export const canvasPixels = (canvas: Locator): Promise<{ painted: number; print: number }> =>
  canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const context = copy.getContext('2d', { willReadFrequently: true });
    context?.drawImage(c, 0, 0);
    const pixels = context?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
    let print = 0;
    for (let i = 0; i < pixels.length; i += 7) print = (Math.imul(print, 31) + (pixels[i] ?? 0)) | 0;
    return { painted, print };
  });
