/**
 * npm run bench: how each model's cost grows with N (time and heap, in Node), and,
 * in Debian's Chromium against the built site, the time from Run to a drawn chart
 * and the longest main-thread task while a lab runs.
 *
 * Targets: the 10,000-peer swarm in under 2 s, and no main-thread task over 50 ms.
 * Exits 1 when a target is missed. `npm run bench -- --node-only` skips the browser.
 */
import { spawnSync } from 'node:child_process';
import { serveStatic } from './serve-static';
import { existsSync } from 'node:fs';
import { models } from '../labs/models';
import { validateParams } from '../labs/kernel/manifest';

const SWARM_TARGET_MS = 2000;
const LONG_TASK_TARGET_MS = 50;
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PORT = 4393;
const nodeOnly = process.argv.includes('--node-only');
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  lab: string;
  size: number;
  ms: number;
  heapMb: number;
}

function measureModels(): Row[] {
  const rows: Row[] = [];
  for (const model of models) {
    for (const benchCase of model.benchCases) {
      const { values, errors } = validateParams(model.manifest, benchCase.params);
      if (Object.keys(errors).length > 0) throw new Error(`${model.manifest.id}: bad bench case ${JSON.stringify(errors)}`);
      const times: number[] = [];
      let heap = 0;
      // Repeat quick cases for a steadier median; one run is enough for slow ones.
      for (let repeat = 0; repeat < 3; repeat++) {
        gc?.();
        const heapBefore = process.memoryUsage().heapUsed;
        const start = performance.now();
        const result = model.run(values, { seed: 1 + repeat, progress: () => {} });
        times.push(performance.now() - start);
        heap = Math.max(heap, process.memoryUsage().heapUsed - heapBefore);
        if (!result.summary) throw new Error(`${model.manifest.id}: empty result`);
        if (times[times.length - 1]! > 1500) break;
      }
      times.sort((a, b) => a - b);
      rows.push({ lab: model.manifest.id, size: benchCase.size, ms: times[Math.floor(times.length / 2)]!, heapMb: heap / 2 ** 20 });
    }
  }
  return rows;
}

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
}

interface BrowserRow {
  lab: string;
  runToChartMs: number;
  longestTaskMs: number;
  /** The longest main-thread task while the network view plays at 4× for two seconds. */
  playLongestTaskMs: number;
}

async function measureBrowser(): Promise<BrowserRow[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  const env = { ...process.env, OUT_DIR: './dist-bench', BASE_PATH: '/', NODE_ENV: 'production' };
  const build = spawnSync('npx', ['astro', 'build'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('astro build failed');
  const server = await serveStatic('./dist-bench', '/', PORT);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const rows: BrowserRow[] = [];
    for (const model of models) {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
        w.longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) w.longTasks.push({ start: entry.startTime, duration: entry.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(`http://127.0.0.1:${PORT}/labs/${model.manifest.id}/`, { waitUntil: 'networkidle' });
      const lab = page.locator(`#lab-${model.manifest.id}`);
      await lab.scrollIntoViewIfNeeded();
      await page.locator(`#lab-${model.manifest.id}[data-ready]`).waitFor();
      // The largest bench case, so the page is measured under the heaviest load.
      const largest = model.benchCases[model.benchCases.length - 1]!;
      for (const [name, value] of Object.entries(largest.params)) {
        await lab.locator(`[name="${name}"]`).evaluate((el, v) => {
          (el as HTMLInputElement).value = String(v);
        }, value);
      }
      const measured = await page.evaluate(async (id) => {
        const root = document.getElementById(`lab-${id}`)!;
        const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
        const start = performance.now();
        (root.querySelector('[data-run]') as HTMLButtonElement).click();
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('run timed out')), 120_000);
          new MutationObserver((_, observer) => {
            if (root.dataset['runs']) {
              observer.disconnect();
              clearTimeout(timer);
              resolve();
            }
          }).observe(root, { attributes: true, attributeFilter: ['data-runs'] });
        });
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const end = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 100));
        const during = w.longTasks.filter((t) => t.start >= start - 1 && t.start <= end);
        return { runToChartMs: end - start, longestTaskMs: Math.max(0, ...during.map((t) => t.duration)) };
      }, model.manifest.id);
      const playLongestTaskMs = await page.evaluate(async (id) => {
        const root = document.getElementById(`lab-${id}`)!;
        const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
        const speed = root.querySelector<HTMLSelectElement>('[data-network-speed]')!;
        speed.value = '4';
        const start = performance.now();
        root.querySelector<HTMLButtonElement>('[data-network-play]')!.click();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        root.querySelector<HTMLButtonElement>('[data-network-play]')!.click();
        const during = w.longTasks.filter((t) => t.start >= start - 1);
        return Math.max(0, ...during.map((t) => t.duration));
      }, model.manifest.id);
      rows.push({ lab: model.manifest.id, ...measured, playLongestTaskMs });
      await page.close();
    }
    return rows;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  let failed = false;
  const rows = measureModels();
  printTable(
    'Models in Node (median of up to 3 runs; heap growth during a run)',
    ['lab', 'N', 'time (ms)', 'heap (MB)'],
    rows.map((r) => [r.lab, r.size.toLocaleString('en-US'), r.ms.toFixed(0), r.heapMb.toFixed(1)]),
  );
  for (const model of models) {
    const own = rows.filter((r) => r.lab === model.manifest.id);
    if (own.length >= 2) {
      const first = own[0]!;
      const last = own[own.length - 1]!;
      const exponent = Math.log(last.ms / first.ms) / Math.log(last.size / first.size);
      console.log(`${model.manifest.id}: time grows about as N^${exponent.toFixed(2)} from N = ${first.size} to ${last.size}`);
    }
  }
  const swarm = rows.find((r) => r.lab === 'file-distribution' && r.size === 10_000);
  if (swarm) {
    const ok = swarm.ms < SWARM_TARGET_MS;
    failed ||= !ok;
    console.log(`target: 10,000-peer swarm under ${SWARM_TARGET_MS} ms: ${swarm.ms.toFixed(0)} ms, ${ok ? 'met' : 'MISSED'}`);
  }

  if (!nodeOnly) {
    const browserRows = await measureBrowser();
    printTable(
      'In Chromium, largest bench case (Run to a drawn chart; longest main-thread task during the run, and while the network view plays)',
      ['lab', 'Run to chart (ms)', 'longest task (ms)', 'playing: longest task (ms)'],
      browserRows.map((r) => [r.lab, r.runToChartMs.toFixed(0), r.longestTaskMs.toFixed(0), r.playLongestTaskMs.toFixed(0)]),
    );
    const worst = Math.max(0, ...browserRows.map((r) => r.longestTaskMs));
    const ok = worst <= LONG_TASK_TARGET_MS;
    failed ||= !ok;
    console.log(`target: no main-thread task over ${LONG_TASK_TARGET_MS} ms while a lab runs: longest ${worst.toFixed(0)} ms, ${ok ? 'met' : 'MISSED'}`);
    const worstPlaying = Math.max(0, ...browserRows.map((r) => r.playLongestTaskMs));
    const playingOk = worstPlaying <= LONG_TASK_TARGET_MS;
    failed ||= !playingOk;
    console.log(`target: no main-thread task over ${LONG_TASK_TARGET_MS} ms while a network view plays: longest ${worstPlaying.toFixed(0)} ms, ${playingOk ? 'met' : 'MISSED'}`);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
