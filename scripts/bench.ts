/**
 * npm run bench: how each model's cost grows with N, and whether it meets its budget.
 *
 * In Node (each case in a fresh process, so its peak memory is its own): time and peak
 * memory at the lab's three bench sizes, the growth exponent, the lab with every numeric
 * parameter at its maximum, and the budgets below. In Debian's Chromium against the built
 * site, at the largest bench case: the time from Run to the first point drawn and to the
 * finished charts, and the longest main-thread task while the page loads, while the lab
 * runs (from the moment the pointer rests on Run, half a second before the click, as the lab
 * warms up) and while its network view plays.
 *
 * Each lab's page is visited three times (`-- --trials <n>`) and judged on the median of each figure.
 * The main thread's tasks are judged on their CPU time (from one more visit, traced), and on their
 * wall time too unless the main thread waited for a core over a fifth of the time it ran (see
 * CONTENDED_WAIT_SHARE), where wall time measures the machine more than the page.
 *
 * Exits 1 when a budget is missed. `-- --node-only` skips the browser, `-- --browser-only`
 * the models in Node (and so the page's comparison with them), `-- --lab <id>` runs one lab.
 * The figures are also written to bench/results.json, to compare runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { serveStatic } from './serve-static';
import { findModel, models } from '../labs/models';
import { validateParams, type ParamValues } from '../labs/kernel/manifest';
import { sweepOf, type LabModel } from '../labs/kernel/model';
import { estimatedSeconds, LONG_RUN_SECONDS } from '../src/lab-host/pool';
import { quantile } from '../labs/kernel/stats';

/** Seconds at the lab's largest size (its last bench case), in Node on one core. */
const BUDGETS: Record<string, { seconds: number; /** Largest time ratio for 10x the size. */ growthPer10x?: number }> = {
  'file-distribution': { seconds: 4, growthPer10x: 15 },
  lookup: { seconds: 6 },
  connectivity: { seconds: 6 },
  churn: { seconds: 6 },
  'server-load': { seconds: 6 },
  security: { seconds: 6 },
  cost: { seconds: 6 },
};
/** No valid setting may take longer: checked with every numeric parameter at its maximum. */
const ANY_SETTING_SECONDS = 10;
/** The time the page announces before Run may be off by this factor either way. */
const ESTIMATE_FACTOR = 2;
const LONG_TASK_TARGET_MS = 50;
/**
 * Above this, the page's main thread waited for a core for more than a fifth of the time it ran:
 * its tasks' wall time then measures the machine (here, two cores shared with Chromium's own
 * threads), and the budget is judged on the CPU time of its tasks instead. With nothing else
 * running, a main thread on this machine waits about 5% of its time, with one busy worker too.
 */
const CONTENDED_WAIT_SHARE = 0.2;
const FIRST_POINT_TARGET_MS = 500;
/** The page may be this much slower than Node (a worker on a busy machine). */
const BROWSER_SLACK = 1.5;
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PORT = 4393;
/** How long the pointer rests on Run before the click. */
const WARM_UP_MS = 500;
const args = process.argv.slice(2);
const nodeOnly = args.includes('--node-only');
const browserOnly = args.includes('--browser-only');
const onlyLab = args.includes('--lab') ? args[args.indexOf('--lab') + 1] : undefined;
/**
 * Visits per lab in Chromium; the table gives each figure's median. On a machine with few cores a
 * main-thread task is now and then descheduled for tens of milliseconds while the workers run (a
 * trace showed 57 ms of wall time for 13 ms of CPU), so one visit's longest task is mostly luck.
 */
const TRIALS = Number(args.includes('--trials') ? args[args.indexOf('--trials') + 1] : 3);
const gc = (globalThis as { gc?: () => void }).gc;

interface CaseResult {
  /** The median of the runs (the later ones with the model's code compiled). */
  ms: number;
  /** The first run in the fresh process, its code still cold, as a page's first run is. */
  firstMs: number;
  peakMb: number;
  /** What the page tells the reader before Run (one core), when the lab is calibrated. */
  estimateMs: number | null;
}

interface Row extends CaseResult {
  lab: string;
  /** The bench case's size, or 'max' for every parameter at its maximum. */
  size: number | 'max';
}

function caseParams(model: LabModel, which: string): ParamValues {
  if (which === 'max') {
    const values: ParamValues = {};
    for (const param of model.manifest.params) if (param.kind !== 'choice') values[param.name] = param.max;
    return values;
  }
  const benchCase = model.benchCases[Number(which)];
  if (!benchCase) throw new Error(`${model.manifest.id}: no bench case ${which}`);
  return benchCase.params;
}

/**
 * In the child process: runs one case three times (once when it takes longer than any setting
 * may, ANY_SETTING_SECONDS) and prints its figures. One run of several seconds varies by a
 * tenth or more on a shared machine, as much as the margin to a budget.
 */
function runCase(id: string, which: string): void {
  const model = findModel(id);
  if (!model) throw new Error(`no lab ${id}`);
  const { values, errors } = validateParams(model.manifest, caseParams(model, which));
  if (Object.keys(errors).length > 0) throw new Error(`${id}: bad bench case ${JSON.stringify(errors)}`);
  const times: number[] = [];
  for (let repeat = 0; repeat < 3; repeat++) {
    gc?.();
    const start = performance.now();
    const result = model.run(values, { seed: 1 + repeat, progress: () => {} });
    times.push(performance.now() - start);
    if (!result.summary) throw new Error(`${id}: empty result`);
    if (times[times.length - 1]! > ANY_SETTING_SECONDS * 1000) break;
  }
  const msPerWeight = model.manifest.msPerWeight;
  const estimateMs =
    msPerWeight === undefined
      ? null
      : 1000 *
        estimatedSeconds(
          sweepOf(model)
            .plan(values)
            .map((task) => task.weight),
          msPerWeight,
          1,
        );
  const firstMs = times[0]!;
  times.sort((a, b) => a - b);
  const figures: CaseResult = {
    ms: times[Math.floor(times.length / 2)]!,
    firstMs,
    peakMb: process.resourceUsage().maxRSS / 1024,
    estimateMs,
  };
  console.log(JSON.stringify(figures));
}

function measureCase(model: LabModel, which: string): CaseResult {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench.ts', '--case', model.manifest.id, which], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`${model.manifest.id} case ${which} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as CaseResult;
}

function measureModels(chosen: ReadonlyArray<LabModel>): Row[] {
  const rows: Row[] = [];
  for (const model of chosen) {
    model.benchCases.forEach((benchCase, index) => {
      rows.push({ lab: model.manifest.id, size: benchCase.size, ...measureCase(model, String(index)) });
      process.stdout.write('.');
    });
    rows.push({ lab: model.manifest.id, size: 'max', ...measureCase(model, 'max') });
  }
  process.stdout.write('\n');
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
  /** From Run to the first chart laid out with points (of a partial result, or of the whole one). */
  firstPointMs: number;
  runToChartMs: number;
  /** The same run again, on the workers the first one kept (their code compiled). */
  againMs: number;
  /** The longest main-thread task from navigation until the lab has mounted. */
  loadLongestTaskMs: number;
  longestTaskMs: number;
  /** The longest main-thread task while the network view plays at 4× for two seconds. */
  playLongestTaskMs: number;
  /** Of the visits measured (see TRIALS), the longest task during the runs. */
  worstLongestTaskMs?: number;
  /** The most CPU time of one main-thread task in a traced visit (load, runs and the view playing). */
  longestTaskCpuMs?: number | undefined;
  /**
   * How long the page's main thread waited for a core, as a share of the time it ran, over the
   * load and the runs (Linux's schedstat); undefined where the system does not tell.
   */
  mainWaitShare?: number | undefined;
}

/** Each figure's median over a lab's visits, and the worst run task of them all. */
function medianRow(trials: BrowserRow[]): BrowserRow {
  const of = (key: keyof Omit<BrowserRow, 'lab' | 'worstLongestTaskMs' | 'longestTaskCpuMs' | 'mainWaitShare'>) =>
    quantile(
      trials.map((t) => t[key]),
      0.5,
    );
  return {
    lab: trials[0]!.lab,
    firstPointMs: of('firstPointMs'),
    runToChartMs: of('runToChartMs'),
    againMs: of('againMs'),
    loadLongestTaskMs: of('loadLongestTaskMs'),
    longestTaskMs: of('longestTaskMs'),
    playLongestTaskMs: of('playLongestTaskMs'),
    worstLongestTaskMs: Math.max(...trials.map((t) => t.longestTaskMs)),
    mainWaitShare: trials.every((t) => t.mainWaitShare !== undefined)
      ? quantile(
          trials.map((t) => t.mainWaitShare!),
          0.5,
        )
      : undefined,
  };
}

/** Nanoseconds a thread has run and waited on a run queue, by Linux's /proc/<pid>/schedstat. */
interface Schedule {
  runNs: number;
  waitNs: number;
}

/**
 * The main thread of each Chromium renderer process (a process's first thread is its main one),
 * or null where /proc gives no schedstat (not Linux, or a kernel without it).
 */
function rendererMainThreads(): Map<number, Schedule> | null {
  if (!existsSync('/proc/self/schedstat')) return null;
  const threads = new Map<number, Schedule>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const [runNs, waitNs] = readFileSync(`/proc/${entry}/schedstat`, 'utf8').split(' ').map(Number);
      threads.set(Number(entry), { runNs: runNs!, waitNs: waitNs! });
    } catch {
      // The process ended meanwhile.
    }
  }
  return threads;
}

/** What one renderer's main thread did between two readings (a process started meanwhile counts from zero). */
function scheduleBetween(before: Map<number, Schedule>, after: Map<number, Schedule>, pid: number): Schedule {
  const from = before.get(pid) ?? { runNs: 0, waitNs: 0 };
  const to = after.get(pid)!;
  return { runNs: to.runNs - from.runNs, waitNs: to.waitNs - from.waitNs };
}

/**
 * A fixed loop of typed-array arithmetic, as the models' hot loops are. Its time in Node and in a
 * Chromium worker tells how much of the page's gap to Node is the browser's JavaScript itself,
 * first run (code still cold) and best of three.
 */
function calibrationLoop(): number {
  const values = new Float64Array(1 << 20);
  let sum = 0;
  const start = performance.now();
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * 0.5 + (i ^ round);
    for (let i = 0; i < values.length; i++) sum += values[i]!;
  }
  // Using the sum keeps the loops from being optimised away.
  return performance.now() - start + (sum < 0 ? 1 : 0);
}

interface Calibration {
  nodeMs: number[];
  workerMs: number[];
}

async function calibrate(browser: import('playwright-core').Browser): Promise<Calibration> {
  const nodeMs = [calibrationLoop(), calibrationLoop(), calibrationLoop()];
  const page = await browser.newPage();
  // A blank page has no Content-Security-Policy, so the worker can come from a blob.
  await page.goto('about:blank');
  const workerMs = await page.evaluate(async (source) => {
    const url = URL.createObjectURL(new Blob([`onmessage = () => postMessage((${source})());`]));
    const worker = new Worker(url);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      times.push(
        await new Promise<number>((resolve) => {
          worker.onmessage = (event: MessageEvent<number>) => resolve(event.data);
          worker.postMessage(null);
        }),
      );
    }
    worker.terminate();
    return times;
  }, calibrationLoop.toString());
  await page.close();
  return { nodeMs, workerMs };
}

/**
 * The most CPU time one task took on the page's main thread, from a trace of a whole visit. A
 * task's wall time (what the long-task figures measure) also counts the time the thread waited
 * for a core: on this machine a lone 30 ms loop gets 16–26 ms of CPU, and a task that lays out
 * 77 objects takes 24 ms for 4 ms of CPU while a worker runs.
 */
function longestMainTaskCpuMs(trace: Buffer, origin: string): number {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  // The course page's renderer only: the browser's own pages (a new tab's) have renderers too.
  const ours = new Set(events.filter((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.startsWith(origin)).map((e) => e.pid));
  const mains = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && ours.has(e.pid)).map((e) => `${e.pid}:${e.tid}`),
  );
  if (mains.size === 0) throw new Error(`the trace has no main thread of a page from ${origin}`);
  const tasks = events.filter((e) => e.name === 'RunTask' && mains.has(`${e.pid}:${e.tid}`));
  return Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000));
}

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  tdur?: number;
  args?: { name?: string; beginData?: { url?: string } };
}

/** One visit to a lab's page: its load, a first run, the network view playing, and a run again. */
async function measureLab(browser: import('playwright-core').Browser, model: LabModel, traced = false): Promise<BrowserRow> {
  const page = await browser.newPage();
  try {
    if (traced) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const beforeLoad = rendererMainThreads();
    await page.goto(`http://127.0.0.1:${PORT}/labs/${model.manifest.id}/`, { waitUntil: 'networkidle' });
    const lab = page.locator(`#lab-${model.manifest.id}`);
    await lab.scrollIntoViewIfNeeded();
    await page.locator(`#lab-${model.manifest.id}[data-ready]`).waitFor();
    await page.waitForTimeout(200);
    const afterLoad = rendererMainThreads();
    const loadLongestTaskMs = await page.evaluate(() => {
      const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
      return Math.max(0, ...w.longTasks.map((t) => t.duration));
    });
    // The largest bench case, so the page is measured under the heaviest load.
    const largest = model.benchCases[model.benchCases.length - 1]!;
    for (const [name, value] of Object.entries(largest.params)) {
      await lab.locator(`[name="${name}"]`).evaluate((el, v) => {
        (el as HTMLInputElement).value = String(v);
      }, value);
    }
    // A reader's pointer reaches Run before it clicks: the lab warms up meanwhile (Chart.js and
    // a worker load). Its tasks count as the run's.
    const measureRun = async (runs: number) => {
      const warmStart = await page.evaluate(() => performance.now());
      await page.mouse.move(0, 0);
      await lab.locator('[data-run]').hover();
      await page.waitForTimeout(WARM_UP_MS);
      return page.evaluate(
        async ({ id, warmStart, runs }) => {
          const root = document.getElementById(`lab-${id}`)!;
          const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
          const start = performance.now();
          let firstPoint = Infinity;
          (root.querySelector('[data-run]') as HTMLButtonElement).click();
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('run timed out')), 180_000);
            // A chart lays itself out with the run's points (and draws them in the next task)
            // when it records its plot's height; before the first run there is no chart.
            new MutationObserver((records, observer) => {
              if (records.some((r) => r.attributeName === 'data-plot-height')) firstPoint = Math.min(firstPoint, performance.now());
              if (root.dataset['runs'] === String(runs)) {
                observer.disconnect();
                clearTimeout(timer);
                resolve();
              }
            }).observe(root, { attributes: true, subtree: true, attributeFilter: ['data-runs', 'data-plot-height'] });
          });
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          const end = performance.now();
          await new Promise((resolve) => setTimeout(resolve, 100));
          const during = w.longTasks.filter((t) => t.start >= warmStart - 1 && t.start <= end);
          return {
            firstPointMs: Math.min(firstPoint, end) - start,
            runToChartMs: end - start,
            longestTaskMs: Math.max(0, ...during.map((t) => t.duration)),
          };
        },
        { id: model.manifest.id, warmStart, runs },
      );
    };
    const measured = await measureRun(1);
    const playLongestTaskMs = await page.evaluate(async (id) => {
      const root = document.getElementById(`lab-${id}`)!;
      const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
      const speed = root.querySelector<HTMLSelectElement>('[data-network-speed]');
      const play = root.querySelector<HTMLButtonElement>('[data-network-play]');
      if (!speed || !play) return 0;
      speed.value = '4';
      const start = performance.now();
      play.click();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      play.click();
      const during = w.longTasks.filter((t) => t.start >= start - 1);
      return Math.max(0, ...during.map((t) => t.duration));
    }, model.manifest.id);
    const again = await measureRun(2);
    const afterRuns = rendererMainThreads();
    const longestTaskCpuMs = traced ? longestMainTaskCpuMs(await browser.stopTracing(), `http://127.0.0.1:${PORT}/`) : undefined;
    let mainWaitShare: number | undefined;
    if (beforeLoad && afterLoad && afterRuns) {
      // The page's renderer: of those that ran during the load, the one whose main thread ran most.
      const pid = [...afterLoad.keys()].reduce((best, candidate) =>
        scheduleBetween(beforeLoad, afterLoad, candidate).runNs > scheduleBetween(beforeLoad, afterLoad, best).runNs ? candidate : best,
      );
      const { runNs, waitNs } = scheduleBetween(beforeLoad, afterRuns, pid);
      mainWaitShare = waitNs / runNs;
    }
    return {
      lab: model.manifest.id,
      longestTaskCpuMs,
      mainWaitShare,
      loadLongestTaskMs,
      ...measured,
      againMs: again.runToChartMs,
      longestTaskMs: Math.max(measured.longestTaskMs, again.longestTaskMs),
      playLongestTaskMs,
    };
  } finally {
    await page.close();
  }
}

async function measureBrowser(
  chosen: ReadonlyArray<LabModel>,
): Promise<{ rows: BrowserRow[]; trials: BrowserRow[]; calibration: Calibration }> {
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
    const calibration = await calibrate(browser);
    // A reader's browser is running already, and has most often shown a page of the course:
    // the home page, once, so that the first lab measured does not pay for the browser's start,
    // and until the course's service worker has stored it for offline use (11 MB in the
    // background, which would otherwise run beside the labs measured).
    const home = await browser.newPage();
    await home.goto(`http://127.0.0.1:${PORT}/`, { waitUntil: 'networkidle' });
    await home.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await home.close();
    const rows: BrowserRow[] = [];
    const trials: BrowserRow[] = [];
    for (const model of chosen) {
      const visits: BrowserRow[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        visits.push(await measureLab(browser, model));
        process.stdout.write('.');
      }
      // One more visit, traced, for the CPU time of the main thread's tasks; its times are not
      // used, as tracing slows the page.
      const traced = await measureLab(browser, model, true);
      trials.push(...visits, traced);
      rows.push({ ...medianRow(visits), longestTaskCpuMs: traced.longestTaskCpuMs });
    }
    process.stdout.write('\n');
    return { rows, trials, calibration };
  } finally {
    await browser.close();
    await server.close();
  }
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

async function main(): Promise<void> {
  const chosen = onlyLab ? models.filter((m) => m.manifest.id === onlyLab) : models;
  if (chosen.length === 0) throw new Error(`no lab ${onlyLab}; labs: ${models.map((m) => m.manifest.id).join(', ')}`);
  const misses: string[] = [];
  const rows = browserOnly ? [] : measureModels(chosen);
  if (!browserOnly)
    printTable(
      'Models in Node, one core, each case in a fresh process (median of up to 3 runs; peak resident memory)',
      ['lab', 'N', 'time (ms)', 'first run (ms)', 'peak memory (MB)'],
      rows.map((r) => [
        r.lab,
        r.size === 'max' ? 'every parameter at max' : r.size.toLocaleString('en-US'),
        r.ms.toFixed(0),
        r.firstMs.toFixed(0),
        r.peakMb.toFixed(0),
      ]),
    );
  const growth: Record<string, number> = {};
  console.log('');
  for (const model of browserOnly ? [] : chosen) {
    const id = model.manifest.id;
    const own = rows.filter((r): r is Row & { size: number } => r.lab === id && r.size !== 'max');
    const budget = BUDGETS[id] ?? { seconds: ANY_SETTING_SECONDS };
    const first = own[0]!;
    const last = own[own.length - 1]!;
    growth[id] = Math.log(last.ms / first.ms) / Math.log(last.size / first.size);
    const lastTwo = own.slice(-2);
    const per10x =
      lastTwo.length === 2 ? Math.pow(lastTwo[1]!.ms / lastTwo[0]!.ms, 1 / Math.log10(lastTwo[1]!.size / lastTwo[0]!.size)) : NaN;
    const inBudget = last.ms <= budget.seconds * 1000;
    const growthOk = budget.growthPer10x === undefined || !(per10x > budget.growthPer10x);
    const atMax = rows.find((r) => r.lab === id && r.size === 'max')!;
    // Slower than that is allowed only when the reader is told before Run.
    const warned = atMax.estimateMs !== null && atMax.estimateMs >= LONG_RUN_SECONDS * 1000;
    const maxOk = atMax.ms <= ANY_SETTING_SECONDS * 1000 || warned;
    // The estimate must be within a factor of two where it matters: at the top size and at max.
    const estimateOk = [last, atMax].every(
      (row) => row.estimateMs === null || (row.ms / row.estimateMs <= ESTIMATE_FACTOR && row.estimateMs / row.ms <= ESTIMATE_FACTOR),
    );
    console.log(
      `${id}: time grows about as N^${growth[id]!.toFixed(2)} (×${per10x.toFixed(1)} per 10× N at the top); ` +
        `N = ${last.size.toLocaleString('en-US')} in ${(last.ms / 1000).toFixed(2)} s, budget ${budget.seconds} s: ${verdict(inBudget)}` +
        (budget.growthPer10x ? `; growth per 10× at most ×${budget.growthPer10x}: ${verdict(growthOk)}` : '') +
        `; every parameter at max in ${(atMax.ms / 1000).toFixed(2)} s, at most ${ANY_SETTING_SECONDS} s${warned ? ' or told before Run' : ''}: ${verdict(maxOk)}` +
        (last.estimateMs !== null && atMax.estimateMs !== null
          ? `; estimates before Run ${(last.estimateMs / 1000).toFixed(1)} s and ${(atMax.estimateMs / 1000).toFixed(1)} s, within ×${ESTIMATE_FACTOR}: ${verdict(estimateOk)}`
          : ''),
    );
    if (!estimateOk) misses.push(`${id} estimate before Run`);
    if (!inBudget) misses.push(`${id} at N = ${last.size}`);
    if (!growthOk) misses.push(`${id} growth`);
    if (!maxOk) misses.push(`${id} with every parameter at max`);
  }

  let browserRows: BrowserRow[] = [];
  let browserTrials: BrowserRow[] = [];
  let calibration: Calibration | null = null;
  if (!nodeOnly) {
    ({ rows: browserRows, trials: browserTrials, calibration } = await measureBrowser(chosen));
    const [nodeFirst, workerFirst] = [calibration.nodeMs[0]!, calibration.workerMs[0]!];
    const [nodeBest, workerBest] = [Math.min(...calibration.nodeMs), Math.min(...calibration.workerMs)];
    console.log(
      `\nThe same typed-array loop takes ${workerFirst.toFixed(0)} ms in a Chromium worker and ${nodeFirst.toFixed(0)} ms in Node on its first run ` +
        `(×${(workerFirst / nodeFirst).toFixed(1)}), ${workerBest.toFixed(0)} ms and ${nodeBest.toFixed(0)} ms at best (×${(workerBest / nodeBest).toFixed(1)}): ` +
        'that much of the gap between the page and Node below is the browser’s JavaScript engine on this machine, not the lab.',
    );
    printTable(
      `In Chromium, largest bench case, median of ${TRIALS} visits (Run to the first points and to the finished charts, and the same run again on the workers kept; longest main-thread task on load, during the runs (and in the worst visit), and while the network view plays; and from one more visit, traced, the most CPU time one main-thread task took; how long the main thread waited for a core over the load and the runs)`,
      [
        'lab',
        'first point (ms)',
        'Run to chart (ms)',
        'again (ms)',
        'load: longest task (ms)',
        'runs: longest task (ms), worst visit',
        'playing: longest task (ms)',
        'most CPU in one task (ms)',
        'main thread: waiting for a core (% of its running time)',
      ],
      browserRows.map((r) => [
        r.lab,
        r.firstPointMs.toFixed(0),
        r.runToChartMs.toFixed(0),
        r.againMs.toFixed(0),
        r.loadLongestTaskMs.toFixed(0),
        `${r.longestTaskMs.toFixed(0)}, ${(r.worstLongestTaskMs ?? r.longestTaskMs).toFixed(0)}`,
        r.playLongestTaskMs.toFixed(0),
        r.longestTaskCpuMs?.toFixed(0) ?? '',
        r.mainWaitShare === undefined ? '' : (100 * r.mainWaitShare).toFixed(0),
      ]),
    );
    const engineFirst = Math.max(1, workerFirst / nodeFirst);
    for (const row of browserRows) {
      const node = rows.find((r) => r.lab === row.lab && r.size === model(row.lab).benchCases.at(-1)!.size);
      const checks: Array<[string, boolean]> = [
        [`first point within ${FIRST_POINT_TARGET_MS} ms`, row.firstPointMs <= FIRST_POINT_TARGET_MS],
        // Not judged with --browser-only, which has no Node time to compare with.
        // Like with like: a run again on the kept workers against Node's later runs; a first run
        // (code cold) against Node's first run in a fresh process, times the engines' own ratio
        // on a cold loop that is not the lab's code (Chromium's V8 is slower than Node's to
        // compile new code, in a worker and on the main thread alike).
        ...(node
          ? ([
              [
                `a first run within ${BROWSER_SLACK}× Node's first (${(node.firstMs / 1000).toFixed(2)} s) times the engines' cold ratio (×${engineFirst.toFixed(1)})`,
                row.runToChartMs <= BROWSER_SLACK * node.firstMs * engineFirst + 1000,
              ],
              [
                `a run again within ${BROWSER_SLACK}× Node's (${(node.ms / 1000).toFixed(2)} s)`,
                row.againMs <= BROWSER_SLACK * node.ms + 1000,
              ],
            ] as Array<[string, boolean]>)
          : []),
        [`no task with over ${LONG_TASK_TARGET_MS} ms of CPU (traced)`, (row.longestTaskCpuMs ?? 0) <= LONG_TASK_TARGET_MS],
      ];
      const wallTime: Array<[string, number]> = [
        ['on load', row.loadLongestTaskMs],
        ['during the run', row.longestTaskMs],
        ['while the view plays', row.playLongestTaskMs],
      ];
      // A task's wall time counts the time its thread waited for a core. Where the main thread
      // mostly waited, that measures the machine, and the CPU time above is what the page did.
      const contended = row.mainWaitShare !== undefined && row.mainWaitShare > CONTENDED_WAIT_SHARE;
      const reported: string[] = [];
      for (const [when, ms] of wallTime) {
        const name = `no task over ${LONG_TASK_TARGET_MS} ms ${when}`;
        if (!contended) checks.push([name, ms <= LONG_TASK_TARGET_MS]);
        else if (ms > LONG_TASK_TARGET_MS) reported.push(`${ms.toFixed(0)} ms ${when}`);
      }
      const waiting = contended
        ? `; wall time not judged, as the main thread waited for a core ${(100 * row.mainWaitShare!).toFixed(0)}% as long as it ran` +
          (reported.length > 0 ? ` (its longest tasks: ${reported.join(', ')})` : '')
        : '';
      console.log(`${row.lab}: ${checks.map(([name, ok]) => `${name}: ${verdict(ok)}`).join('; ')}${waiting}`);
      for (const [name, ok] of checks) if (!ok) misses.push(`${row.lab}: ${name}`);
    }
  }

  mkdirSync('bench', { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cores: (await import('node:os')).availableParallelism(),
    models: rows,
    growth,
    browser: browserRows,
    browserTrials,
    calibration,
    misses,
  };
  writeFileSync('bench/results.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    misses.length === 0
      ? '\nEvery budget met. Figures in bench/results.json.'
      : `\nMissed: ${misses.join('; ')}. Figures in bench/results.json.`,
  );
  process.exitCode = misses.length === 0 ? 0 : 1;
}

function model(id: string): LabModel {
  return findModel(id)!;
}

if (args[0] === '--case') runCase(args[1]!, args[2]!);
else await main();
