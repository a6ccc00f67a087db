/**
 * The network view: plays the trace a lab's model recorded (kernel/trace.ts) on a
 * canvas, with Play/Pause, Step, Reset, a time slider and a speed choice, and says in
 * words what the current frame shows. One player for every lab.
 *
 * Drawing is batched by colour (one path per node state, per message kind), so a frame
 * of a few hundred nodes costs a handful of canvas calls.
 */
import type { NetworkTrace, Tone, TracePanel } from '../../labs/kernel/trace';
import { formatDuration } from '../../labs/kernel/format';

const TONE_NAMES: Tone[] = ['server', 'idle', 'busy', 'done', 'bad', 'off', 'accent', 'muted'];

/** The tones' colours for the current theme, from the stylesheet (course.css), which the legend uses too. */
function toneColours(): Record<Tone, string> {
  const style = getComputedStyle(document.documentElement);
  return Object.fromEntries(TONE_NAMES.map((tone) => [tone, style.getPropertyValue(`--lab-tone-${tone}`).trim() || '#888'])) as Record<
    Tone,
    string
  >;
}

/** A panel's narrowest and widest drawing, in CSS pixels, and the room for its title. */
const MIN_PANEL = 170;
const MAX_PANEL = 360;
const TITLE_HEIGHT = 22;

/** Sets a font that fits `text` in `width` (13 px down to 10 px), shortening it with an ellipsis if even that is too wide. */
function fitText(context: CanvasRenderingContext2D, text: string, width: number): string {
  for (const size of [13, 12, 11, 10]) {
    context.font = `600 ${size}px system-ui, sans-serif`;
    if (context.measureText(text).width <= width) return text;
  }
  let shortened = text;
  while (shortened.length > 1 && context.measureText(`${shortened}…`).width > width) shortened = shortened.slice(0, -1);
  return `${shortened.trimEnd()}…`;
}

/** Milliseconds one frame lasts at speed 1 while playing. */
const FRAME_MS = 700;

/** The time of a frame as a reader reads it: "t = 12 min" or "hop 3". */
export function frameTime(trace: Pick<NetworkTrace, 'times' | 'timeFormat' | 'stepName'>, frame: number): string {
  const time = trace.times[frame] ?? 0;
  return trace.timeFormat === 'duration'
    ? `t = ${time === 0 ? '0' : formatDuration(time)}`
    : `${trace.stepName ?? 'step'} ${Math.round(time)}`;
}

function reducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

export class NetworkView {
  private trace: NetworkTrace | null = null;
  private frame = 0;
  /** Progress of the current frame's messages, 0 to 1, while playing. */
  private progress = 1;
  private playing = false;
  private lastTick = 0;
  private animation = 0;
  private colours: { tones: Record<Tone, string>; text: string } | null = null;
  /**
   * The canvas's width as the last resize reported it: reading clientWidth after the frame's
   * text changed would lay out the whole page again in every draw.
   */
  private width: number | null = null;
  private readonly canvas: HTMLCanvasElement;
  private readonly playButton: HTMLButtonElement;
  private readonly stepButton: HTMLButtonElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly slider: HTMLInputElement;
  private readonly speed: HTMLSelectElement;
  private readonly text: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    const find = <T extends Element>(selector: string): T => {
      const element = root.querySelector<T>(selector);
      if (!element) throw new Error(`network view: missing ${selector}`);
      return element;
    };
    this.canvas = find('canvas');
    this.playButton = find('[data-network-play]');
    this.stepButton = find('[data-network-step]');
    this.resetButton = find('[data-network-reset]');
    this.slider = find('[data-network-time]');
    this.speed = find('[data-network-speed]');
    this.text = find('[data-network-text]');

    this.playButton.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    this.stepButton.addEventListener('click', () => {
      this.pause();
      this.show(Math.min(this.frames - 1, this.frame + 1));
    });
    this.resetButton.addEventListener('click', () => {
      this.pause();
      this.show(0);
    });
    this.slider.addEventListener('input', () => {
      this.pause();
      this.show(Number(this.slider.value));
    });
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1]?.contentRect.width ?? null;
      this.drawSoon();
    }).observe(this.canvas);
    new MutationObserver(() => {
      this.colours = null;
      this.draw();
    }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  private get frames(): number {
    return this.trace?.times.length ?? 0;
  }

  load(trace: NetworkTrace | undefined): void {
    this.pause();
    this.trace = trace && trace.times.length > 0 ? trace : null;
    this.root.hidden = this.trace === null;
    if (!this.trace) return;
    this.root.querySelector('[data-network-caption]')!.textContent = this.trace.caption;
    this.renderLegend(this.trace);
    this.slider.max = String(this.frames - 1);
    this.canvas.setAttribute(
      'aria-label',
      `Network view: ${this.trace.panels.map((p) => `${p.title}, ${p.nodes} nodes`).join('; ')}. The text below describes the current frame.`,
    );
    this.show(0);
  }

  /** The legend lists only the states and messages that occur in the panels shown. */
  private renderLegend(trace: NetworkTrace): void {
    const list = this.root.querySelector('[data-network-legend]')!;
    const states = new Set<number>();
    const kinds = new Set<number>();
    for (const panel of trace.panels) {
      for (const state of panel.states) states.add(state);
      for (const kind of panel.messageKind) kinds.add(kind);
    }
    const items = [
      ...trace.nodeLegend.filter((_, index) => states.has(index)).map((entry) => ({ ...entry, shape: 'node' })),
      ...trace.messageLegend.filter((_, index) => kinds.has(index)).map((entry) => ({ ...entry, shape: 'message' })),
    ].map((entry) => {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = `lab-network-swatch lab-network-${entry.shape}`;
      swatch.dataset['tone'] = entry.tone;
      swatch.setAttribute('aria-hidden', 'true');
      item.append(swatch, entry.label);
      return item;
    });
    list.replaceChildren(...items);
  }

  play(): void {
    if (!this.trace || this.playing) return;
    if (this.frame >= this.frames - 1) this.show(0);
    this.playing = true;
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-pressed', 'true');
    // Announcing every frame while playing would flood a screen reader; it speaks again on pause and on Step.
    this.text.setAttribute('aria-live', 'off');
    this.progress = reducedMotion() ? 1 : 0;
    this.lastTick = performance.now();
    this.animation = requestAnimationFrame((now) => this.tick(now));
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.animation);
    this.playButton.textContent = 'Play';
    this.playButton.setAttribute('aria-pressed', 'false');
    this.text.setAttribute('aria-live', 'polite');
    this.progress = 1;
    this.draw();
  }

  private tick(now: number): void {
    if (!this.playing) return;
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    const frameMs = FRAME_MS / Number(this.speed.value || '1');
    if (reducedMotion()) {
      // No moving dots: whole frames, each held for its time.
      this.progress += elapsed / frameMs;
      if (this.progress >= 2) this.advance();
    } else {
      this.progress += elapsed / frameMs;
      if (this.progress >= 1) this.advance();
      else this.draw();
    }
    if (this.playing) this.animation = requestAnimationFrame((next) => this.tick(next));
  }

  private advance(): void {
    if (this.frame >= this.frames - 1) {
      this.pause();
      return;
    }
    this.progress = reducedMotion() ? 1 : 0;
    this.show(this.frame + 1, false);
  }

  /** Shows a frame: the slider, the words and the picture. */
  private show(frame: number, settled = true): void {
    if (!this.trace) return;
    this.frame = Math.max(0, Math.min(this.frames - 1, frame));
    if (settled) this.progress = 1;
    this.slider.value = String(this.frame);
    const time = frameTime(this.trace, this.frame);
    this.slider.setAttribute('aria-valuetext', `${time}, frame ${this.frame + 1} of ${this.frames}`);
    this.text.textContent = `${time}: ${this.trace.descriptions[this.frame] ?? ''}`;
    this.root.dataset['frame'] = String(this.frame);
    this.draw();
  }

  private drawPending = false;

  /**
   * Draws in a task of its own. A new size is reported in the rendering step that lays out a
   * lab's output just shown; drawing the view's first frame there too made one long task.
   */
  private drawSoon(): void {
    if (this.drawPending) return;
    this.drawPending = true;
    setTimeout(() => {
      this.drawPending = false;
      this.draw();
    }, 0);
  }

  private draw(): void {
    const trace = this.trace;
    if (!trace) return;
    const ratio = window.devicePixelRatio || 1;
    const width = this.width ?? this.canvas.clientWidth;
    if (width === 0) return;
    // Panels in a grid of columns at least MIN_PANEL wide: side by side on a wide page,
    // two across or stacked on a phone. The canvas is as tall as its rows need.
    const panels = trace.panels.length;
    const columns = Math.max(1, Math.min(panels, Math.floor(width / MIN_PANEL)));
    const rows = Math.ceil(panels / columns);
    const cell = width / columns;
    const rowHeight = Math.min(cell, MAX_PANEL) + TITLE_HEIGHT;
    const height = Math.round(rows * rowHeight);
    if (this.canvas.style.height !== `${height}px`) this.canvas.style.height = `${height}px`;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    // Read from the stylesheet once per theme, not on every animation frame.
    this.colours ??= { tones: toneColours(), text: getComputedStyle(this.root).color };
    const { tones, text } = this.colours;
    trace.panels.forEach((panel, index) => {
      const box = { left: (index % columns) * cell, top: Math.floor(index / columns) * rowHeight, width: cell, height: rowHeight };
      this.drawPanel(context, trace, panel, box, tones, text);
    });
  }

  private drawPanel(
    context: CanvasRenderingContext2D,
    trace: NetworkTrace,
    panel: TracePanel,
    box: { left: number; top: number; width: number; height: number },
    tones: Record<Tone, string>,
    text: string,
  ): void {
    const size = Math.min(box.width, box.height - TITLE_HEIGHT) - 16;
    const originX = box.left + (box.width - size) / 2;
    const originY = box.top + TITLE_HEIGHT + (box.height - TITLE_HEIGHT - size) / 2;
    const px = (node: number) => originX + (panel.x[node] as number) * size;
    const py = (node: number) => originY + (panel.y[node] as number) * size;
    const radius = Math.max(2.5, Math.min(9, (size / Math.sqrt(Math.max(1, panel.nodes))) * 0.16));

    context.fillStyle = text;
    context.textAlign = 'center';
    context.fillText(fitText(context, panel.title, box.width - 8), box.left + box.width / 2, box.top + 15);

    if (panel.edges.length > 0) {
      context.strokeStyle = tones.muted;
      context.globalAlpha = 0.25;
      context.lineWidth = 1;
      context.beginPath();
      for (let e = 0; e + 1 < panel.edges.length; e += 2) {
        context.moveTo(px(panel.edges[e] as number), py(panel.edges[e] as number));
        context.lineTo(px(panel.edges[e + 1] as number), py(panel.edges[e + 1] as number));
      }
      context.stroke();
      context.globalAlpha = 1;
    }

    // Messages of this frame: a faint line for the link, a dot travelling along it.
    const start = panel.messageStart[this.frame] as number;
    const end = panel.messageStart[this.frame + 1] as number;
    const along = Math.min(1, this.progress);
    trace.messageLegend.forEach((legend, kind) => {
      context.strokeStyle = tones[legend.tone];
      context.fillStyle = tones[legend.tone];
      context.lineWidth = 1.5;
      context.globalAlpha = 0.55;
      context.beginPath();
      for (let m = start; m < end; m++) {
        if (panel.messageKind[m] !== kind) continue;
        const from = panel.messageFrom[m] as number;
        const to = panel.messageTo[m] as number;
        context.moveTo(px(from), py(from));
        context.lineTo(px(to), py(to));
      }
      context.stroke();
      context.globalAlpha = 1;
      context.beginPath();
      for (let m = start; m < end; m++) {
        if (panel.messageKind[m] !== kind) continue;
        const from = panel.messageFrom[m] as number;
        const to = panel.messageTo[m] as number;
        const x = px(from) + (px(to) - px(from)) * along;
        const y = py(from) + (py(to) - py(from)) * along;
        context.moveTo(x + 3, y);
        context.arc(x, y, 3, 0, 2 * Math.PI);
      }
      context.fill();
    });

    // Nodes, one path per state.
    const base = this.frame * panel.nodes;
    trace.nodeLegend.forEach((legend, state) => {
      context.fillStyle = tones[legend.tone];
      context.beginPath();
      for (let node = 0; node < panel.nodes; node++) {
        if (panel.states[base + node] !== state) continue;
        context.moveTo(px(node) + radius, py(node));
        context.arc(px(node), py(node), radius, 0, 2 * Math.PI);
      }
      context.fill();
    });

    // Level bars (chunks held, queue filled) under each node.
    if (panel.levels.length > 0) {
      const barWidth = Math.max(6, radius * 2.4);
      context.fillStyle = tones.off;
      context.beginPath();
      for (let node = 0; node < panel.nodes; node++) {
        // NaN marks a node without a bar (an aggregate "offline" node, an index).
        if (!Number.isNaN(panel.levels[base + node])) context.rect(px(node) - barWidth / 2, py(node) + radius + 2, barWidth, 3);
      }
      context.fill();
      context.fillStyle = tones.busy;
      context.beginPath();
      for (let node = 0; node < panel.nodes; node++) {
        const level = panel.levels[base + node] as number;
        if (level > 0) context.rect(px(node) - barWidth / 2, py(node) + radius + 2, barWidth * level, 3);
      }
      context.fill();
    }
  }
}
