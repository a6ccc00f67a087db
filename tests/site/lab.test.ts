/**
 * The lab host in a real browser: runs, draws, rejects bad input, cancels, keeps
 * only the newest result, survives a failing worker, and restores from a URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { canvasPixels, launch, newPage, openTables, watch } from './browser';
import { SITE } from './config';
import { LONG_RUN_SECONDS } from '../../src/lab-host/pool';

const LESSON = `${SITE}lessons/file-distribution/`;
const LAB = '#lab-file-distribution';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function openLab(url = LESSON): Promise<{ page: Page; problems: ReturnType<typeof watch> }> {
  const page = await newPage(browser);
  const problems = watch(page);
  await page.goto(url);
  await page.locator(LAB).scrollIntoViewIfNeeded();
  await page.locator(`${LAB}[data-ready]`).waitFor();
  return { page, problems };
}

const field = (page: Page, name: string) => page.locator(`${LAB} [name="${name}"]`);
const runs = async (page: Page) => Number((await page.locator(LAB).getAttribute('data-runs')) ?? '0');
const waitForRuns = (page: Page, count: number) =>
  page.waitForFunction(
    ([selector, n]) => Number(document.querySelector(selector as string)?.getAttribute('data-runs') ?? '0') >= (n as number),
    [LAB, count],
    { timeout: 30_000 },
  );
const tableText = async (page: Page, chart = 'time-vs-peers') => {
  await openTables(page, LAB);
  return (await page.locator(`${LAB} [data-chart="${chart}"] [data-table]`).textContent()) ?? '';
};

async function setValue(page: Page, name: string, value: string): Promise<void> {
  await field(page, name).fill(value);
}

describe('the file-distribution lab', () => {
  it('runs, draws charts, a data table, a summary and a verdict, and writes its state to the URL', async () => {
    const { page, problems } = await openLab();
    await setValue(page, 'peers', '200');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    const { painted: canvasDrawn } = await canvasPixels(page.locator(`${LAB} [data-chart="time-vs-peers"] canvas`));
    expect(canvasDrawn).toBeGreaterThan(1000);
    await openTables(page, LAB);
    const rows = await page.locator(`${LAB} [data-chart="time-vs-peers"] tbody tr`).count();
    expect(rows).toBeGreaterThan(10);
    expect(await page.locator(`${LAB} [data-verdict]`).innerText()).toMatch(/overloaded/);
    const description = page.locator(`${LAB} [data-chart="time-vs-peers"] [data-description]`);
    expect(await description.textContent()).toMatch(
      /P2P swarm, simulated \(simulation, \d+ points, with 95% intervals\): from .* at 1 to .* at 200/,
    );
    expect(await page.locator(`${LAB} [data-chart="time-vs-peers"] canvas`).getAttribute('aria-describedby')).toBe(
      await description.getAttribute('id'),
    );
    expect(await page.locator(`${LAB} [data-summary]`).innerText()).toMatch(/200 peers/);
    expect(page.url()).toContain('file-distribution.peers=200');
    expect(page.url()).toContain('file-distribution.seed=1');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('draws its charts again in the colours of a theme the reader switches to', async () => {
    const { page, problems } = await openLab();
    await setValue(page, 'peers', '200');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    const canvases = `${LAB} [data-chart] canvas`;
    const themes = () => page.locator(canvases).evaluateAll((all) => all.map((c) => (c as HTMLElement).dataset['theme']));
    const before = await page.evaluate(() => document.documentElement.dataset['theme']);
    expect(new Set(await themes())).toEqual(new Set([before]));
    const other = before === 'dark' ? 'light' : 'dark';
    await page.evaluate((theme) => (document.documentElement.dataset['theme'] = theme), other);
    await expect.poll(async () => new Set(await themes()), { timeout: 10_000 }).toEqual(new Set([other]));
    // Remade and drawn: the last chart's steps have run once its canvas has pixels again.
    await expect
      .poll(
        async () => {
          const all = await Promise.all((await page.locator(canvases).all()).map(canvasPixels));
          return all.every(({ painted }) => painted > 0);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('rejects a bad value beside its control and keeps the last result', async () => {
    const { page, problems } = await openLab();
    await setValue(page, 'peers', '50');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    const before = await tableText(page);
    expect(before.length).toBeGreaterThan(100);

    await setValue(page, 'peers', 'lots');
    const message = page.locator(`${LAB} [data-error-for="peers"]`);
    expect(await message.innerText()).toMatch(/must be a number/);
    expect(await field(page, 'peers').getAttribute('aria-invalid')).toBe('true');
    await setValue(page, 'fileSize', '-3');
    expect(await page.locator(`${LAB} [data-error-for="fileSize"]`).innerText()).toMatch(/from 0.001 to 1000 Gbit/);

    await page.locator(`${LAB} [data-run]`).click();
    expect(await page.locator(`${LAB} [data-status]`).innerText()).toMatch(/not valid/);
    expect(await runs(page)).toBe(1);
    expect(await tableText(page)).toBe(before);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('peers');

    await setValue(page, 'peers', '60');
    await setValue(page, 'fileSize', '15');
    expect(await message.innerText()).toBe('');
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('cancels a long run and stays usable', async () => {
    const { page, problems } = await openLab();
    await setValue(page, 'peers', '10000');
    await setValue(page, 'chunks', '256');
    await page.locator(`${LAB} [data-run]`).click();
    await page.locator(`${LAB} progress:not([hidden])`).waitFor();
    await page.locator(`${LAB} [data-cancel]`).click();
    expect(await page.locator(`${LAB} [data-status]`).innerText()).toMatch(/Cancelled/);
    expect(await page.locator(`${LAB} [data-cancel]`).isDisabled()).toBe(true);
    expect(await page.locator(`${LAB} progress`).isHidden()).toBe(true);
    await page.waitForTimeout(300);
    expect(await runs(page)).toBe(0);

    await setValue(page, 'peers', '30');
    await setValue(page, 'chunks', '20');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('draws the first points while a long run goes on, and the verdict only at its end', async () => {
    const { page, problems } = await openLab();
    await setValue(page, 'peers', '10000');
    await setValue(page, 'chunks', '256');
    await page.locator(`${LAB} [data-run]`).click();
    await page.locator(`${LAB}[data-partial]`).waitFor({ timeout: 60_000 });
    expect(await runs(page)).toBe(0);
    expect(await page.locator(`${LAB} [data-summary]`).textContent()).toMatch(/^Partial result: \d+ of \d+ parts/);
    expect(await page.locator(`${LAB} [data-verdict]`).textContent()).toMatch(/Waiting/);
    expect(await page.locator(`${LAB} [data-run-progress]`).textContent()).toMatch(/\d+%, \d+ of \d+ parts done/);
    await waitForRuns(page, 1);
    expect(await page.locator(LAB).getAttribute('data-partial')).toBeNull();
    expect(await page.locator(`${LAB} [data-verdict]`).textContent()).not.toMatch(/Waiting/);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('keeps the buttons below its charts in place when the reader jumps to them', async () => {
    // Opened from a link, the lab runs at once, its charts out of view.
    const page = await newPage(browser);
    const problems = watch(page);
    await page.goto(`${SITE}labs/file-distribution/?file-distribution.peers=30`);
    await waitForRuns(page, 1);
    // As Tab to the button would: one jump past the charts, which must already have their height.
    const moved = await page.evaluate(async (selector) => {
      const shifts: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) shifts.push((entry as unknown as { value: number }).value);
      });
      observer.observe({ type: 'layout-shift' });
      const button = document.querySelector(`${selector} [data-csv]`)!;
      button.scrollIntoView({ block: 'center' });
      const top = button.getBoundingClientRect().top;
      await new Promise((resolve) => setTimeout(resolve, 500));
      observer.disconnect();
      return { shifts, by: button.getBoundingClientRect().top - top };
    }, LAB);
    expect(moved).toEqual({ shifts: [], by: 0 });
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('starts its workers as the pointer reaches Run, and runs on them, then the next run too, without starting more', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    // Counts the workers the page makes (a lab's are made only by its host).
    await page.addInitScript(() => {
      const Original = window.Worker;
      const counted = window as unknown as { workersMade: number };
      counted.workersMade = 0;
      window.Worker = class extends Original {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          counted.workersMade += 1;
        }
      };
    });
    await page.goto(LESSON);
    await page.locator(LAB).scrollIntoViewIfNeeded();
    await page.locator(`${LAB}[data-ready]`).waitFor();
    const made = () => page.evaluate(() => (window as unknown as { workersMade: number }).workersMade);
    // The estimate beside Run has its own worker, made as the lab loads.
    await page.locator(`${LAB} [data-estimate][data-seconds]`).waitFor({ state: 'attached' });
    const before = await made();
    const pool = await page.evaluate(() => 1 + Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)));
    await page.locator(`${LAB} [data-run]`).hover();
    await expect.poll(made).toBe(before + pool);
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    expect(await made()).toBe(before + pool);
    // The next run, with another seed, runs on the same workers, their code warm.
    await page.locator(`${LAB} [name="seed"]`).fill('2');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 2);
    expect(await made()).toBe(before + pool);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('shows only the newest result when run again before the last run ends', async () => {
    const { page } = await openLab();
    await setValue(page, 'peers', '10000');
    await page.locator(`${LAB} [data-run]`).click();
    await setValue(page, 'peers', '40');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    await page.waitForTimeout(500);
    expect(await runs(page)).toBe(1);
    await openTables(page, LAB);
    const lastRow = await page.locator(`${LAB} [data-chart="time-vs-peers"] tbody tr`).last().locator('th').textContent();
    expect(lastRow).toBe('40');
    await page.close();
  });

  it('recovers when its worker cannot load', async () => {
    const { page } = await openLab();
    await page.route(/worker.*\.js$/, (route) => route.fulfill({ status: 500, body: 'broken' }));
    await page.locator(`${LAB} [data-run]`).click();
    await page.waitForFunction(
      (selector) => /could not start|failed/.test(document.querySelector(selector)?.textContent ?? ''),
      `${LAB} [data-status]`,
      { timeout: 15_000 },
    );
    expect(await page.locator(`${LAB} [data-cancel]`).isDisabled()).toBe(true);
    await page.unroute(/worker.*\.js$/);
    await setValue(page, 'peers', '20');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    await page.close();
  });

  it('restores its state from a link and reproduces the same result', async () => {
    const first = await openLab();
    await setValue(first.page, 'peers', '80');
    await setValue(first.page, 'uploadSpread', '0.6');
    await setValue(first.page, 'seed', '9');
    await first.page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(first.page, 1);
    const url = first.page.url();
    const expected = await tableText(first.page);
    expect(expected).toMatch(/80/);
    await first.page.close();

    const second = await openLab(url);
    await waitForRuns(second.page, 1);
    expect(await field(second.page, 'peers').inputValue()).toBe('80');
    expect(await field(second.page, 'uploadSpread').inputValue()).toBe('0.6');
    expect(await field(second.page, 'seed').inputValue()).toBe('9');
    expect(await tableText(second.page)).toBe(expected);
    expect(second.problems.console).toEqual([]);
    await second.page.close();
  });

  it('shows a message for a bad value in a shared link instead of running', async () => {
    const { page, problems } = await openLab(`${LESSON}?file-distribution.peers=0&file-distribution.seed=2`);
    expect(await page.locator(`${LAB} [data-error-for="peers"]`).innerText()).toMatch(/from 1 to 10000/);
    expect(await runs(page)).toBe(0);
    expect(problems.console).toEqual([]);
    await page.close();
  });

  it('exports the result as CSV, one row per point of every series', async () => {
    const { page } = await openLab();
    await setValue(page, 'peers', '30');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`${LAB} [data-csv]`).click()]);
    expect(download.suggestedFilename()).toBe('file-distribution-seed-1.csv');
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('lab,chart,series,role,x,y,y_low_95,y_high_95');
    expect(
      lines.some((line) =>
        line.startsWith('file-distribution,Time to give every peer the whole file,"P2P swarm, simulated",simulated,30,'),
      ),
    ).toBe(true);
    expect(lines.length).toBeGreaterThan(100);
    // Simulated swarm points carry their 95% interval in the last two columns, around the mean.
    const intervals = lines
      .filter((line) => line.includes('"P2P swarm, simulated",simulated,') && !line.endsWith(','))
      .map((line) => line.split(',').slice(-3).map(Number) as [number, number, number]);
    expect(intervals.length).toBeGreaterThan(3);
    for (const [y, low, high] of intervals) expect(low <= y && y <= high, `${low} ≤ ${y} ≤ ${high}`).toBe(true);
    await page.close();
  });

  it('prints the text and the last result without controls', async () => {
    const { page } = await openLab();
    await setValue(page, 'peers', '20');
    await page.locator(`${LAB} [data-run]`).click();
    await waitForRuns(page, 1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator(`${LAB} .lab-fields`).isVisible()).toBe(false);
    expect(await page.locator(`${LAB} [data-run]`).isVisible()).toBe(false);
    expect(await page.locator(`${LAB} [data-verdict]`).isVisible()).toBe(true);
    expect(await page.locator('nav.sidebar').isVisible()).toBe(false);
    await page.close();
  });

  it('links from the lesson to the model source, on a page of its own', async () => {
    const { page } = await openLab();
    const link = page.locator(`${LAB} .lab-source-link a`);
    expect(await link.getAttribute('href')).toBe('/course/labs/file-distribution/source/');
    await page.locator(`${LAB} .lab-method summary`).first().click();
    await link.click();
    await page.waitForURL(/labs\/file-distribution\/source\/$/);
    await page.locator('.expressive-code pre').first().waitFor({ state: 'visible' });
    expect(await page.locator('.expressive-code pre').first().textContent()).toContain('export function simulateSwarm');
    await page.close();
  });

  it('works from the keyboard alone', async () => {
    const { page } = await openLab();
    await field(page, 'peers').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('25');
    await page.keyboard.press('Enter');
    await waitForRuns(page, 1);
    const slider = page.locator(`${LAB} [data-slider-for="chunks"]`);
    await slider.focus();
    const before = await field(page, 'chunks').inputValue();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await field(page, 'chunks').inputValue()).not.toBe(before);
    await page.close();
  });
});

describe('a lab whose heaviest setting takes long', () => {
  // Connectivity with every size at its maximum: about half a minute.
  const HEAVY = '#lab-connectivity';
  it('tells the reader before Run how long a heavy setting takes, and only then', async () => {
    const page = await newPage(browser);
    const problems = watch(page);
    await page.goto(`${SITE}labs/connectivity/`);
    await page.locator(HEAVY).scrollIntoViewIfNeeded();
    await page.locator(`${HEAVY}[data-ready]`).waitFor();
    const set = (name: string, value: string) => page.locator(`${HEAVY} [name="${name}"]`).fill(value);
    const estimate = page.locator(`${HEAVY} [data-estimate]`);
    await set('meanDegree', '12');
    await set('links', '6');
    await set('trials', '20');
    await set('nodes', '1000000');
    await estimate.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await estimate.textContent()).toMatch(/^This setting takes about \d+ (s|min) on a typical laptop \(\d+ parts/);
    expect(Number(await estimate.getAttribute('data-seconds'))).toBeGreaterThanOrEqual(LONG_RUN_SECONDS);
    // Run's description includes the note, for a screen reader on the button.
    const describedBy = (await page.locator(`${HEAVY} [data-run]`).getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await estimate.getAttribute('id'));
    await set('nodes', '1000');
    await estimate.waitFor({ state: 'hidden', timeout: 30_000 });
    expect(Number(await estimate.getAttribute('data-seconds'))).toBeLessThan(LONG_RUN_SECONDS);
    expect(problems.console).toEqual([]);
    await page.close();
  });
});
