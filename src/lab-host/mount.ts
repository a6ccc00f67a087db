/**
 * The lab host on the page: wires the controls rendered by Lab.astro to the lab's
 * worker, draws results, and keeps the URL in step. Every lab uses this one file.
 */
import { loadManifest } from '../../labs/load-manifest';
import { workerFactories } from '../../labs/workers';
import {
  checkParam,
  checkSeed,
  defaults,
  validateParams,
  type LabManifest,
  type NumberParam,
  type ParamValues,
} from '../../labs/kernel/manifest';
import type { LabResult } from '../../labs/kernel/model';
import { formatOutput, formatSig } from '../../labs/kernel/format';
import {
  chartTable,
  describeChart,
  encodePin,
  ignoredStateNote,
  pinLabel,
  readPin,
  writePin,
  type Table,
  readState,
  resultCsv,
  sliderPosition,
  sliderValueText,
  sliderValue,
  writeState,
} from './state';
import type { LabChart, PinnedRun } from './charts';
import { whenIdle } from '../when-idle';
import { subjectIndices } from './axes';
import { NetworkView } from './network-view';
import { chartPalette } from './palette';
import {
  createPlanner,
  estimatedSeconds,
  LONG_RUN_SECONDS,
  longRunNote,
  poolSize,
  progressLine,
  remainingSeconds,
  runPool,
  type PoolRun,
} from './pool';
import { LAB_RESULT_EVENT, LAB_RUN_EVENT, type LabResultDetail, type LabRunRequest } from './events';
import { showFailure } from './observe';

interface Job extends PoolRun {
  token: number;
}

interface RunRecord {
  result: LabResult;
  values: ParamValues;
  seed: number;
}

/** Planning waits for typing to pause. */
const ESTIMATE_DELAY_MS = 400;

class LabHost {
  private readonly manifest: LabManifest;
  private readonly name: string;
  private readonly form: HTMLFormElement;
  private readonly status: HTMLElement;
  private readonly progress: HTMLProgressElement;
  private readonly progressText: HTMLElement;
  private readonly estimate: HTMLElement;
  private planner: ReturnType<typeof createPlanner> | null = null;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  /** The values the shown estimate (or its absence) is for, so a late answer is ignored. */
  private estimateKey = '';
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly output: HTMLElement;
  /** Drawn by Chart.js, loaded with the first run (or when the reader reaches for the lab), not with the page. */
  private charts: LabChart[] = [];
  private chartsLoaded: Promise<void> | null = null;
  private readonly network: NetworkView;
  private readonly start: ParamValues;
  private job: Job | null = null;
  private nextToken = 1;
  private lastResult: RunRecord | null = null;
  /** The finished run the charts and tables show (the last one, or a pinned one restored). */
  private shown: RunRecord | null = null;
  /** The newest partial result not drawn yet, and whether a drawing of partials is under way. */
  private pendingPartial: { record: RunRecord; isCurrent: () => boolean } | null = null;
  private drawingPartials = false;
  /**
   * Workers for the next run, their model loaded: started before Run (one when the reader
   * enters the lab, the rest when they reach for Run), or kept from the last run, whose code
   * is compiled already. The first coordinates the run, the others take its tasks.
   */
  private spares: Worker[] = [];
  /** Workers whose load failure the lab watches for while they wait as spares. */
  private readonly watched = new WeakSet<Worker>();
  /** A run kept on the charts to compare with the next; in the URL as `<name>.pin`. */
  private pinned: RunRecord | null = null;

  constructor(
    private readonly root: HTMLElement,
    manifest: LabManifest,
  ) {
    this.manifest = manifest;
    this.name = root.dataset['name'] ?? manifest.id;
    this.form = this.query('form.lab-controls');
    this.status = this.query('[data-status]');
    this.progress = this.query('progress');
    this.progressText = this.query('[data-run-progress]');
    this.estimate = this.query('[data-estimate]');
    this.runButton = this.query('[data-run]');
    this.cancelButton = this.query('[data-cancel]');
    this.output = this.query('[data-output]');
    this.start = { ...defaults(manifest), ...(JSON.parse(root.dataset['start'] ?? '{}') as ParamValues) };
    this.network = new NetworkView(this.query('[data-network]'));
  }

  /**
   * Loads Chart.js and makes the lab's charts. Until the first run there is nothing to
   * draw, so a page does not parse and run Chart.js while it loads.
   */
  private loadCharts(): Promise<void> {
    this.chartsLoaded ??= import('./charts').then(
      ({ LabChart, warmUpSteps }) => {
        const subjects = subjectIndices(this.manifest);
        this.charts = this.manifest.charts.map(
          (spec) =>
            new LabChart(
              this.query<HTMLCanvasElement>(`[data-chart="${spec.id}"] canvas`),
              spec,
              subjects,
              this.query(`[data-chart="${spec.id}"] [data-legend]`),
            ),
        );
        const first = this.manifest.charts[0];
        if (first) void runWhenIdle(warmUpSteps(first, subjects));
      },
      (error: unknown) => {
        // A failed load (the connection dropped) is tried again by the next run.
        this.chartsLoaded = null;
        throw error;
      },
    );
    return this.chartsLoaded;
  }

  private query<T extends Element = HTMLElement>(selector: string): T {
    const element = this.root.querySelector<T>(selector);
    if (!element) throw new Error(`lab ${this.manifest.id}: missing ${selector}`);
    return element;
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement {
    return this.query<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  }

  private numberParams(): NumberParam[] {
    return this.manifest.params.filter((p): p is NumberParam => p.kind !== 'choice');
  }

  mount(): void {
    for (const param of this.numberParams()) {
      const slider = this.query<HTMLInputElement>(`[data-slider-for="${param.name}"]`);
      const input = this.field(param.name) as HTMLInputElement;
      slider.addEventListener('input', () => {
        input.value = String(sliderValue(param, Number(slider.value)));
        this.checkField(param.name);
        this.syncSliderText(param, slider, Number(input.value));
      });
      input.addEventListener('input', () => {
        const checked = this.checkField(param.name);
        if (checked !== null) {
          slider.value = String(sliderPosition(param, checked as number));
          this.syncSliderText(param, slider, checked as number);
        }
      });
    }
    for (const param of this.manifest.params) {
      if (param.kind === 'choice') this.field(param.name).addEventListener('change', () => this.checkField(param.name));
    }
    this.field('seed').addEventListener('input', () => this.checkField('seed'));

    this.runButton.addEventListener('click', () => this.run());
    // A reader reaching for the lab will run it soon: Chart.js and a worker with the model load
    // meanwhile. Cheap to repeat: each is done once until used.
    const warmUp = () => {
      chartPalette();
      void this.loadCharts().catch(() => {});
      this.warmWorkers(1);
    };
    this.root.addEventListener('pointerenter', warmUp);
    this.root.addEventListener('focusin', warmUp);
    // At Run, or after a changed setting, a run is coming: the workers for its tasks start too.
    const warmPool = () => {
      warmUp();
      this.warmWorkers(1 + poolSize());
    };
    this.runButton.addEventListener('pointerenter', warmPool);
    this.runButton.addEventListener('focus', warmPool);
    this.form.addEventListener('input', warmPool);
    // Enter in a field runs the lab, as it would submit a form (the form itself never submits).
    this.form.addEventListener('keydown', (event) => {
      const target = event.target;
      if (event.key !== 'Enter' || event.isComposing || !(target instanceof HTMLInputElement) || target.type !== 'text') return;
      event.preventDefault();
      this.run();
    });
    this.cancelButton.addEventListener('click', () => this.cancel());
    this.query('[data-reset]').addEventListener('click', () => {
      this.setValues(this.start, 1);
      this.announce('Values reset to the lesson’s starting point.');
    });
    this.root.querySelector<HTMLSelectElement>('[data-preset-select]')?.addEventListener('change', (event) => {
      const select = event.currentTarget as HTMLSelectElement;
      if (!select.value) return;
      this.setValues({ ...defaults(this.manifest), ...(JSON.parse(select.value) as ParamValues) }, this.currentSeed() ?? 1);
      this.announce(`Case “${select.selectedOptions[0]?.textContent ?? ''}” loaded. Press Run to simulate it.`);
    });
    // Other components (a predict-then-run exercise) can run this lab with given values.
    this.root.addEventListener(LAB_RUN_EVENT, (event) => {
      const detail = (event as CustomEvent<LabRunRequest>).detail;
      this.setValues({ ...this.readCurrentValues(), ...detail.values }, detail.seed ?? this.currentSeed() ?? 1);
      this.run();
    });
    this.manifest.charts.forEach((_, index) => {
      this.tableDetails(index).addEventListener('toggle', () => this.renderTable(index));
    });
    this.query('[data-csv]').addEventListener('click', () => this.downloadCsv());
    this.query('[data-pin]').addEventListener('click', () => this.togglePin());
    this.manifest.charts.forEach((spec, index) => {
      this.query(`[data-png="${spec.id}"]`).addEventListener('click', () => this.downloadPng(index));
    });
    this.query('[data-copy-link]').addEventListener('click', () => void this.copyLink());

    new MutationObserver(() => void this.restyleCharts()).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });

    this.runButton.disabled = false;
    this.announce('This lab runs in your browser. Press Run to simulate.');

    // A shared link carries the lab's state: restore it and show the result straight away.
    const fromUrl = readState(window.location.search, this.name);
    this.noteIgnoredState();
    const hasState = Object.keys(fromUrl.values).length > 0 || fromUrl.seed !== null;
    this.setValues(this.start, 1);
    if (hasState) {
      for (const [name, value] of Object.entries(fromUrl.values)) {
        const known = this.manifest.params.some((p) => p.name === name);
        if (known) this.field(name).value = value;
      }
      if (fromUrl.seed !== null) this.field('seed').value = fromUrl.seed;
      this.syncAllSliders();
      this.run();
    }
    void this.restorePin();
    this.root.dataset['ready'] = '';
  }

  /** Says, beside the lab's status, what in the link's address it ignores (a typo, a value given twice). */
  private noteIgnoredState(): void {
    const labsHere = [...document.querySelectorAll<HTMLElement>('[data-lab][data-name]')].map((lab) => lab.dataset['name'] ?? '');
    const note = ignoredStateNote(
      window.location.search,
      this.name,
      this.manifest.params.map((p) => p.name),
      labsHere,
    );
    if (!note) return;
    const element = document.createElement('p');
    element.className = 'lab-help lab-url-note';
    element.dataset['urlNote'] = '';
    element.textContent = note;
    this.status.after(element);
  }

  private syncSliderText(param: NumberParam, slider: HTMLInputElement, value: number): void {
    setAttributeIfChanged(slider, 'aria-valuetext', sliderValueText(param, value));
  }

  private syncAllSliders(): void {
    for (const param of this.numberParams()) {
      const slider = this.query<HTMLInputElement>(`[data-slider-for="${param.name}"]`);
      const value = Number((this.field(param.name) as HTMLInputElement).value);
      if (Number.isFinite(value)) {
        setValueIfChanged(slider, String(sliderPosition(param, value)));
        this.syncSliderText(param, slider, value);
      }
    }
  }

  /**
   * Fills the form. Only what differs is written: on load the page already shows the starting
   * values, and a write, even of the same value, would lay the whole lab out again.
   */
  private setValues(values: ParamValues, seed: number): void {
    for (const param of this.manifest.params) {
      const value = values[param.name];
      if (value !== undefined) setValueIfChanged(this.field(param.name), String(value));
      this.checkField(param.name);
    }
    setValueIfChanged(this.field('seed'), String(seed));
    this.checkField('seed');
    this.syncAllSliders();
  }

  /** The values in the form as typed (valid or not), for merging a partial request. */
  private readCurrentValues(): ParamValues {
    const values: ParamValues = {};
    for (const param of this.manifest.params) values[param.name] = this.field(param.name).value;
    return values;
  }

  private currentSeed(): number | null {
    const checked = checkSeed(this.field('seed').value);
    return 'error' in checked ? null : checked.value;
  }

  /** Validates one field, shows or clears its message; returns the value or null. */
  private checkField(name: string): number | string | null {
    const element = this.field(name);
    const message = this.query(`[data-error-for="${name}"]`);
    const param = this.manifest.params.find((p) => p.name === name);
    const checked = param ? checkParam(param, element.value) : checkSeed(element.value);
    const error = 'error' in checked ? checked.error : '';
    if (message.textContent !== error) message.textContent = error;
    if (error) setAttributeIfChanged(element, 'aria-invalid', 'true');
    else if (element.hasAttribute('aria-invalid')) element.removeAttribute('aria-invalid');
    this.scheduleEstimate();
    return 'error' in checked ? null : checked.value;
  }

  /** After the values settle, says before Run how long a heavy setting will take. */
  private scheduleEstimate(): void {
    if (this.manifest.msPerWeight === undefined) return;
    clearTimeout(this.estimateTimer);
    this.estimateTimer = setTimeout(() => void this.updateEstimate(), ESTIMATE_DELAY_MS);
  }

  private async updateEstimate(): Promise<void> {
    const msPerWeight = this.manifest.msPerWeight;
    const factory = workerFactories[this.manifest.id];
    const { values, errors } = validateParams(this.manifest, this.readCurrentValues());
    const key = JSON.stringify(values);
    this.estimateKey = key;
    if (msPerWeight === undefined || !factory || Object.keys(errors).length > 0) {
      this.estimate.hidden = true;
      return;
    }
    this.planner ??= createPlanner(factory);
    const weights = await this.planner(values);
    if (this.estimateKey !== key) return;
    const seconds = weights ? estimatedSeconds(weights, msPerWeight, poolSize()) : 0;
    this.estimate.hidden = seconds < LONG_RUN_SECONDS;
    this.estimate.dataset['seconds'] = seconds.toFixed(1);
    this.estimate.textContent = this.estimate.hidden ? '' : longRunNote(seconds, weights?.length ?? 0);
  }

  private readForm(): { values: ParamValues; seed: number } | null {
    const values: ParamValues = {};
    let firstInvalid: HTMLElement | null = null;
    for (const param of this.manifest.params) {
      const value = this.checkField(param.name);
      if (value === null) firstInvalid ??= this.field(param.name);
      else values[param.name] = value;
    }
    const seed = this.checkField('seed');
    if (seed === null) firstInvalid ??= this.field('seed');
    if (firstInvalid) {
      firstInvalid.focus();
      this.announce(
        this.lastResult
          ? 'Some values are not valid (see the messages beside them). The result below is from the last valid run.'
          : 'Some values are not valid; see the messages beside them.',
      );
      return null;
    }
    return { values, seed: seed as number };
  }

  private announce(text: string): void {
    this.status.textContent = text;
  }

  private setRunning(running: boolean): void {
    this.cancelButton.disabled = !running;
    this.progress.hidden = !running;
    this.progressText.hidden = !running;
    this.progressText.textContent = '';
    this.root.toggleAttribute('data-running', running);
    if (running) this.progress.value = 0;
  }

  /**
   * Starts workers until `count` are spare. One that fails to load is dropped, and the run
   * starts its own (which reports the failure).
   */
  private warmWorkers(count: number): void {
    const factory = workerFactories[this.manifest.id];
    if (!factory) return;
    while (this.spares.length < count) this.spares.push(this.watch(factory()));
  }

  /** `worker`, watched: should it fail while spare, it is dropped (a run reports its own). */
  private watch(worker: Worker): Worker {
    if (this.watched.has(worker)) return worker;
    this.watched.add(worker);
    worker.addEventListener('error', (event) => {
      if (!this.spares.includes(worker)) return;
      event.preventDefault();
      this.spares = this.spares.filter((spare) => spare !== worker);
      worker.terminate();
    });
    return worker;
  }

  /**
   * A finished run's workers become the spares, ahead of any started meanwhile, and as many as
   * a run uses are kept: their code runs at full speed from the next run's first task.
   */
  private keepWorkers(workers: ReadonlyArray<Worker>): void {
    const all = [...workers.map((worker) => this.watch(worker)), ...this.spares];
    this.spares = all.slice(0, 1 + poolSize());
    for (const extra of all.slice(1 + poolSize())) extra.terminate();
  }

  private stopJob(): void {
    this.job?.cancel();
    this.job = null;
  }

  run(): void {
    const input = this.readForm();
    if (!input) return;
    // Newest run wins: the old pool is stopped, and its late answers are ignored by token.
    this.stopJob();
    const factory = workerFactories[this.manifest.id];
    if (!factory) {
      this.announce('This lab has no simulation worker.');
      return;
    }
    const token = this.nextToken++;
    const isCurrent = () => this.job?.token === token;
    chartPalette(); // now, while the page is still: see palette.ts
    void this.loadCharts().catch(() => {});
    const started = performance.now();
    const warm = this.spares;
    this.spares = [];
    const pool = runPool(
      factory,
      input.values,
      input.seed,
      {
        progress: (fraction, done, total) => {
          if (!isCurrent()) return;
          this.progress.value = fraction;
          const text = progressLine(fraction, done, total, remainingSeconds(performance.now() - started, fraction));
          this.progress.setAttribute('aria-valuetext', text);
          this.progressText.textContent = text;
        },
        partial: (result, done, total) => {
          if (!isCurrent()) return;
          this.showPartial({ result, values: input.values, seed: input.seed }, done, total, isCurrent);
        },
      },
      { started: warm, release: (workers) => this.keepWorkers(workers) },
    );
    this.job = { ...pool, token };
    showFailure(this.root, null);
    this.setRunning(true);
    this.announce('Running the simulation… The charts fill in as its parts finish.');
    pool.result
      .then(async (result) => {
        if (!isCurrent()) return;
        this.progress.value = 1;
        const record = { result, values: input.values, seed: input.seed };
        if (!(await this.show(record, isCurrent))) return;
        this.job = null;
        this.setRunning(false);
        this.lastResult = record;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        this.announce(`Done in ${seconds} s (seed ${input.seed}). The charts, data tables, summary and verdict below are updated.`);
        history.replaceState(history.state, '', `${writeState(location.search, this.name, input.values, input.seed)}${location.hash}`);
        this.root.dataset['runs'] = String(Number(this.root.dataset['runs'] ?? '0') + 1);
        const detail: LabResultDetail = { result, values: input.values, seed: input.seed };
        this.root.dispatchEvent(new CustomEvent(LAB_RESULT_EVENT, { detail, bubbles: true }));
      })
      .catch((error: unknown) => {
        if (!isCurrent()) return;
        this.stopJob();
        this.setRunning(false);
        this.restoreLast();
        const reason = error instanceof Error ? error.message : String(error);
        this.announce(this.lastResult ? 'The simulation failed. The last result is kept.' : 'The simulation failed.');
        showFailure(this.root, { text: `The simulation failed: ${reason}.`, retry: () => this.run() });
      });
  }

  cancel(): void {
    if (!this.job) return;
    this.stopJob();
    this.setRunning(false);
    this.restoreLast();
    this.announce(this.lastResult ? 'Cancelled. The result below is from the last finished run.' : 'Cancelled.');
    this.runButton.focus();
  }

  /** After a cancelled or failed run, the charts go back to the last finished one (a partial run is not kept). */
  private restoreLast(): void {
    if (this.lastResult) void this.show(this.lastResult, () => this.job === null);
    else if (this.root.hasAttribute('data-partial')) {
      this.root.toggleAttribute('data-partial', false);
      this.output.hidden = true;
    }
  }

  /**
   * A run still streaming: its charts as far as they go. Its summary, key numbers and
   * verdict wait for the last part, since a verdict read from half a sweep could mislead.
   */
  private showPartial(record: RunRecord, done: number, total: number, isCurrent: () => boolean): void {
    this.output.hidden = false;
    this.root.toggleAttribute('data-partial', true);
    this.query('[data-summary]').textContent =
      `Partial result: ${done} of ${total} parts of the simulation are done, and the charts show those. The summary and the verdict follow when every part is done.`;
    this.query('[data-verdict]').textContent = 'Waiting for the rest of the run…';
    for (const output of this.manifest.outputs ?? []) {
      const cell = this.root.querySelector(`[data-output-key="${output.key}"]`);
      if (cell) cell.textContent = '…';
    }
    // Only the newest part waits: parts that come while the charts are drawn are skipped.
    this.pendingPartial = { record, isCurrent };
    if (!this.drawingPartials) void this.drawPartials();
  }

  /**
   * Draws the newest partial result, one step of one chart per task, until none is waiting or the
   * full result (or another run) has taken over. Drawn once Chart.js is there.
   */
  private async drawPartials(): Promise<void> {
    this.drawingPartials = true;
    try {
      await this.loadCharts();
      for (let next = this.pendingPartial; next; next = this.pendingPartial) {
        this.pendingPartial = null;
        const { record, isCurrent } = next;
        await this.drawChartsInTurn(record, () => isCurrent() && this.root.hasAttribute('data-partial'));
      }
    } catch {
      // Chart.js failed to load: the full result shows the failure with a retry.
    } finally {
      this.drawingPartials = false;
      this.pendingPartial = null;
    }
  }

  /**
   * Shows a finished run: its text at once, then its network view and its charts (one step per
   * task, see drawChartsInTurn). Data tables are built when opened (or now, if open), since a
   * long table is the slowest thing to draw.
   */
  private async show(record: RunRecord, isCurrent: () => boolean): Promise<boolean> {
    const { result } = record;
    this.output.hidden = false;
    this.root.toggleAttribute('data-partial', false);
    this.query('[data-summary]').textContent = result.summary;
    this.query('[data-verdict]').textContent = result.verdict;
    for (const output of this.manifest.outputs ?? []) {
      const cell = this.root.querySelector(`[data-output-key="${output.key}"]`);
      if (cell) cell.textContent = formatOutput(result.outputs?.[output.key] ?? NaN, output.format, output.unit);
    }
    await nextTask();
    if (!isCurrent()) return false;
    this.network.load(result.network);
    this.shown = record;
    await this.loadCharts();
    if (!isCurrent()) return false;
    for (const index of this.manifest.charts.keys()) this.tableDetails(index).dataset['stale'] = '';
    if (!(await this.drawChartsInTurn(record, isCurrent))) return false;
    for (const index of this.manifest.charts.keys()) {
      if (!this.tableDetails(index).open) continue;
      await nextTask();
      if (!isCurrent()) return false;
      this.renderTable(index);
    }
    return true;
  }

  private tableDetails(index: number): HTMLDetailsElement {
    const spec = this.manifest.charts[index]!;
    return this.query<HTMLDetailsElement>(`[data-chart="${spec.id}"] details.lab-table`);
  }

  /** Builds one chart's data table from the result on show. */
  private renderTable(index: number): void {
    const spec = this.manifest.charts[index];
    const details = this.tableDetails(index);
    if (!spec || !this.shown || details.dataset['stale'] === undefined) return;
    delete details.dataset['stale'];
    const table = chartTable(spec, this.shown.result);
    details.querySelector<HTMLElement>('[data-table]')?.replaceChildren(renderTable(spec.title, table.columns, table.rows));
  }

  /** Pins the shown run, or unpins the pinned one; the charts redraw either way. */
  private togglePin(): void {
    if (this.pinned) {
      this.pinned = null;
      this.announce('Unpinned. The charts show the current run only.');
    } else if (this.lastResult) {
      this.pinned = this.lastResult;
      this.announce('Pinned. Change the settings and press Run: the pinned run stays on every chart, faded, for comparison.');
    }
    history.replaceState(
      history.state,
      '',
      `${writePin(location.search, this.name, this.pinned ? encodePin(this.pinned.values, this.pinned.seed) : null)}${location.hash}`,
    );
    this.syncPinButton();
    this.redrawCharts();
  }

  private syncPinButton(): void {
    const button = this.query<HTMLButtonElement>('[data-pin]');
    button.textContent = this.pinned ? 'Unpin the pinned run' : 'Pin this run to compare';
    button.setAttribute('aria-pressed', String(this.pinned !== null));
  }

  /** The pinned run as the charts draw it beside `current`, labelled by what differs. */
  private pinnedRun(current: RunRecord): PinnedRun | undefined {
    if (!this.pinned) return undefined;
    const label = pinLabel(this.manifest, this.pinned.values, this.pinned.seed, current.values, current.seed);
    return { result: this.pinned.result, label };
  }

  /**
   * Draws every chart in steps, one step per task (see LabChart.drawSteps), so that no
   * main-thread task grows long however many charts a lab has. False when `isCurrent` turned
   * false on the way.
   */
  private async drawChartsInTurn(current: RunRecord, isCurrent: () => boolean): Promise<boolean> {
    for (const [index, chart] of this.charts.entries()) {
      // A chart's first step waits for a frame when it makes the chart: the style and layout of
      // what the run has shown come first, in the browser's own rendering step, not inside
      // Chart.js's reading of the canvas's size.
      const makes = !chart.prepared;
      const pinned = this.pinnedRun(current);
      for (const [step, work] of chart.drawSteps(current.result, pinned).entries()) {
        await (step === 0 && makes ? nextFrame() : nextTask());
        if (!isCurrent()) return false;
        work();
      }
      this.describeChart(index, current, pinned);
    }
    return true;
  }

  /** Redraws the shown run (after a pin changed), unless another run or redraw has started since. */
  private redrawCharts(): void {
    const shown = this.lastResult;
    if (shown) void this.drawChartsInTurn(shown, () => this.lastResult === shown && this.job === null);
  }

  /** Makes every chart again in the new theme's colours, one step per task. */
  private async restyleCharts(): Promise<void> {
    for (const chart of this.charts) {
      for (const work of chart.restyleSteps()) {
        await nextTask();
        work();
      }
    }
  }

  /** Writes a drawn chart's text alternative. */
  private describeChart(index: number, current: RunRecord, pinned: PinnedRun | undefined): void {
    const spec = this.manifest.charts[index];
    const description = spec && this.query(`[data-chart="${spec.id}"]`).querySelector<HTMLElement>('[data-description]');
    if (!spec || !description) return;
    const pinText = pinned ? ` A pinned run (${pinned.label}) is drawn faded for comparison.` : '';
    description.textContent = `${describeChart(spec, current.result)}${pinText} The data table below lists every point of the current run.`;
  }

  /** A pinned run in a shared link is computed again in a worker of its own, then drawn faded. */
  private async restorePin(): Promise<void> {
    const pin = readPin(location.search, this.name);
    if (!pin) return;
    const { values, errors } = validateParams(this.manifest, pin.values);
    const seed = checkSeed(pin.seed);
    if (Object.keys(errors).length > 0 || 'error' in seed) return;
    const factory = workerFactories[this.manifest.id];
    if (!factory) return;
    const pool = runPool(factory, values, seed.value, { progress: () => {}, partial: () => {} });
    try {
      const result = await pool.result;
      this.pinned = { result, values, seed: seed.value };
      this.syncPinButton();
      this.redrawCharts();
    } catch {
      // A pinned run that cannot be computed is left out; the lab itself is unaffected.
    } finally {
      pool.cancel();
    }
  }

  private downloadPng(index: number): void {
    const url = this.charts[index]?.png();
    const spec = this.manifest.charts[index];
    if (!url || !spec || !this.lastResult) return;
    const link = document.createElement('a');
    link.href = url;
    link.download = `${this.manifest.id}-${spec.id}-seed-${this.lastResult.seed}.png`;
    link.click();
  }

  private downloadCsv(): void {
    if (!this.lastResult) return;
    const blob = new Blob([resultCsv(this.manifest, this.lastResult.result)], { type: 'text/csv' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${this.manifest.id}-seed-${this.lastResult.seed}.csv`;
    link.click();
    // Chromium reads the file at the click, but other browsers may read it later.
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  }

  private async copyLink(): Promise<void> {
    const url = new URL(location.href);
    url.hash = this.root.id ? this.root.id : '';
    try {
      await navigator.clipboard.writeText(url.toString());
      this.announce('Link copied: it opens this lab with the same settings and seed.');
    } catch {
      this.announce(`Copy this link: ${url.toString()}`);
    }
  }
}

/** Runs each step in a task of its own, when the page is idle (or within half a second). */
async function runWhenIdle(steps: ReadonlyArray<() => void>): Promise<void> {
  for (const step of steps) {
    await whenIdle(500);
    step();
  }
}

function setValueIfChanged(field: HTMLInputElement | HTMLSelectElement, value: string): void {
  if (field.value !== value) field.value = value;
}

function setAttributeIfChanged(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The next task after the next frame is drawn. A hidden page, or an embed scrolled out of view,
 * may draw no frame for a long while: then it waits 100 ms at most.
 */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

function renderTable(caption: string, columns: string[], rows: Table['rows']): HTMLTableElement {
  const table = document.createElement('table');
  const captionElement = table.createCaption();
  captionElement.textContent = caption;
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = column;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((value, index) => {
      const cell = document.createElement(index === 0 ? 'th' : 'td');
      if (index === 0) (cell as HTMLTableCellElement).scope = 'row';
      cell.textContent = value === null ? '–' : typeof value === 'string' ? value : formatSig(value, 4);
      tr.appendChild(cell);
    });
  }
  return table;
}

/** Mounts in progress or done, so a second caller waits for the same host (PredictRun sends its run once mounted). */
const mounting = new WeakMap<HTMLElement, Promise<void>>();

export function mountLab(root: HTMLElement): Promise<void> {
  let mounted = mounting.get(root);
  if (!mounted) {
    mounted = loadManifest(root.dataset['lab'] ?? '').then((manifest) => {
      if (manifest) new LabHost(root, manifest).mount();
    });
    mounting.set(root, mounted);
    // A failed load may be retried (the Retry button, or PredictRun's next try).
    mounted.catch(() => mounting.delete(root));
  }
  return mounted;
}
