/**
 * The network view's data: a small instance of a lab's own simulation, recorded as it
 * runs (the same code that computes the charts, with a recorder passed in), then played
 * back on the page. Plain typed arrays, so a trace crosses from the worker cheaply and
 * drawing a frame is a few loops with no per-node objects.
 */

/** What a colour means; the page maps each tone to a colour of the current theme. */
export type Tone = 'server' | 'idle' | 'busy' | 'done' | 'bad' | 'off' | 'accent' | 'muted';

export interface LegendEntry {
  label: string;
  tone: Tone;
}

/** One side of the view (client-server, or the swarm): nodes, links and their frames. */
export interface TracePanel {
  title: string;
  nodes: number;
  /** Node positions in [0, 1] × [0, 1], y downwards; computed once, in the worker. */
  x: Float32Array;
  y: Float32Array;
  /** Static links drawn faintly (an overlay's edges), as index pairs. */
  edges: Uint32Array;
  /** Node state per frame: states[frame * nodes + node] indexes the trace's node legend. */
  states: Uint8Array;
  /** Optional fill per frame in [0, 1] (chunks held, queue length), drawn as a bar under each node; NaN for no bar; empty when unused. */
  levels: Float32Array;
  /** Node labels for the text description and tooltips ("server", "peer 3"). */
  names: string[];
  /** Messages of frame f: indices messageStart[f] .. messageStart[f + 1] of from, to and kind. */
  messageStart: Uint32Array;
  messageFrom: Uint32Array;
  messageTo: Uint32Array;
  /** Indexes the trace's message legend. */
  messageKind: Uint8Array;
  /**
   * This panel's own words per frame, when the model writes them apart, so a lesson can
   * show one panel alone (<NetworkDiagram panels>) with words about that panel only.
   */
  descriptions?: string[];
}

export interface NetworkTrace {
  /** What was scaled down, in words: "20 of the 1,000 peers; every other parameter as set." */
  caption: string;
  /** Simulated time of each frame. */
  times: Float64Array;
  /** How the time reads: a duration in seconds, or a count of steps ("hop 3"). */
  timeFormat: 'duration' | 'step';
  /** The step's name when timeFormat is 'step' ("hop", "round"). */
  stepName?: string;
  nodeLegend: LegendEntry[];
  messageLegend: LegendEntry[];
  panels: TracePanel[];
  /** One plain-words sentence per frame, written by the model from the frame's numbers. */
  descriptions: string[];
}

export interface PanelLayout {
  title: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  names: string[];
  edges?: ArrayLike<number>;
  /** Record a level bar per node. */
  levels?: boolean;
}

/** Most frames a trace keeps: enough to scrub through, small enough to move in a blink. */
export const MAX_FRAMES = 400;

/**
 * Records a trace while a simulation runs: set node states, levels and messages for the
 * current frame, then call `frame(time, description)` to close it. States and levels
 * carry over from frame to frame, as the simulation's own state does.
 */
export class TraceRecorder {
  private readonly current: Array<{ states: Uint8Array; levels: Float32Array | null }>;
  private readonly states: number[][];
  private readonly levels: number[][];
  private readonly messages: Array<{ start: number[]; from: number[]; to: number[]; kind: number[] }>;
  private readonly times: number[] = [];
  private readonly descriptions: string[] = [];
  private readonly panelDescriptions: string[][];

  constructor(
    private readonly layouts: ReadonlyArray<PanelLayout>,
    private readonly nodeLegend: LegendEntry[],
    private readonly messageLegend: LegendEntry[],
    initialState = 0,
  ) {
    this.current = layouts.map((layout) => ({
      states: new Uint8Array(layout.names.length).fill(initialState),
      levels: layout.levels ? new Float32Array(layout.names.length) : null,
    }));
    this.states = layouts.map(() => []);
    this.levels = layouts.map(() => []);
    this.messages = layouts.map(() => ({ start: [0], from: [], to: [], kind: [] }));
    this.panelDescriptions = layouts.map(() => []);
  }

  /** True once the trace holds as many frames as it may: the simulation can stop recording. */
  get full(): boolean {
    return this.times.length >= MAX_FRAMES;
  }

  get frames(): number {
    return this.times.length;
  }

  setState(panel: number, node: number, state: number): void {
    (this.current[panel] as { states: Uint8Array }).states[node] = state;
  }

  state(panel: number, node: number): number {
    return (this.current[panel] as { states: Uint8Array }).states[node] as number;
  }

  setLevel(panel: number, node: number, level: number): void {
    const levels = this.current[panel]?.levels;
    // NaN stays NaN: that node has no bar.
    if (levels) levels[node] = Number.isNaN(level) ? NaN : Math.min(1, Math.max(0, level));
  }

  message(panel: number, from: number, to: number, kind = 0): void {
    const messages = this.messages[panel]!;
    messages.from.push(from);
    messages.to.push(to);
    messages.kind.push(kind);
  }

  /**
   * Closes the current frame at `time`, with its description, and optionally each
   * panel's own words (one per panel). Ignored once full.
   */
  frame(time: number, description: string, perPanel?: ReadonlyArray<string>): void {
    if (this.full) return;
    this.times.push(time);
    this.descriptions.push(description);
    if (perPanel) perPanel.forEach((text, index) => this.panelDescriptions[index]?.push(text));
    this.current.forEach((panel, index) => {
      for (const state of panel.states) this.states[index]!.push(state);
      if (panel.levels) for (const level of panel.levels) this.levels[index]!.push(level);
      const messages = this.messages[index]!;
      messages.start.push(messages.from.length);
    });
  }

  finish(caption: string, timeFormat: NetworkTrace['timeFormat'] = 'duration', stepName?: string): NetworkTrace {
    return {
      caption,
      times: Float64Array.from(this.times),
      timeFormat,
      ...(stepName ? { stepName } : {}),
      nodeLegend: this.nodeLegend,
      messageLegend: this.messageLegend,
      descriptions: this.descriptions,
      panels: this.layouts.map((layout, index) => {
        const messages = this.messages[index]!;
        // Messages sent after the last closed frame belong to no frame.
        const kept = messages.start[messages.start.length - 1] as number;
        const words = this.panelDescriptions[index] as string[];
        return {
          ...(words.length === this.times.length && words.length > 0 ? { descriptions: words } : {}),
          title: layout.title,
          nodes: layout.names.length,
          x: Float32Array.from(layout.x),
          y: Float32Array.from(layout.y),
          edges: Uint32Array.from(layout.edges ?? []),
          names: layout.names,
          states: Uint8Array.from(this.states[index]!),
          levels: Float32Array.from(this.levels[index]!),
          messageStart: Uint32Array.from(messages.start),
          messageFrom: Uint32Array.from(messages.from.slice(0, kept)),
          messageTo: Uint32Array.from(messages.to.slice(0, kept)),
          messageKind: Uint8Array.from(messages.kind.slice(0, kept)),
        };
      }),
    };
  }
}

/* ------------------------------------------------------------------ layouts */

/** Nodes evenly round a circle, starting at the top: a Chord ring is drawn as what it is. */
export function ringLayout(count: number, radius = 0.42): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const angle = (2 * Math.PI * i) / Math.max(1, count) - Math.PI / 2;
    x[i] = 0.5 + radius * Math.cos(angle);
    y[i] = 0.5 + radius * Math.sin(angle);
  }
  return { x, y };
}

/** Node 0 in the centre (the server), the others round it (its clients). */
export function starLayout(count: number, radius = 0.4): { x: Float32Array; y: Float32Array } {
  const ring = ringLayout(count - 1, radius);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  x[0] = 0.5;
  y[0] = 0.5;
  x.set(ring.x, 1);
  y.set(ring.y, 1);
  return { x, y };
}

/** Positions on a ring for ids on a 2^bits identifier circle: where Chord puts them. */
export function idRingLayout(ids: ArrayLike<number>, ringSize: number, radius = 0.42): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(ids.length);
  const y = new Float32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const angle = (2 * Math.PI * (ids[i] as number)) / ringSize - Math.PI / 2;
    x[i] = 0.5 + radius * Math.cos(angle);
    y[i] = 0.5 + radius * Math.sin(angle);
  }
  return { x, y };
}

/** The typed arrays of a trace, each buffer once (a repeated one fails the transfer), for Comlink's transfer list. */
export function traceBuffers(trace: NetworkTrace | undefined): ArrayBuffer[] {
  if (!trace) return [];
  const buffers = new Set<ArrayBuffer>([trace.times.buffer as ArrayBuffer]);
  for (const panel of trace.panels) {
    for (const array of [
      panel.x,
      panel.y,
      panel.edges,
      panel.states,
      panel.levels,
      panel.messageStart,
      panel.messageFrom,
      panel.messageTo,
      panel.messageKind,
    ]) {
      buffers.add(array.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

/* ------------------------------------------------------------------ as JSON */

type Plain<T> = {
  [K in keyof T]: T[K] extends ArrayLike<number> & { buffer: ArrayBufferLike }
    ? number[]
    : T[K] extends Array<infer U>
      ? Array<Plain<U>>
      : T[K];
};

/** A trace as plain JSON, for a page that embeds one computed at build time. */
export function traceToJson(trace: NetworkTrace): string {
  return JSON.stringify(trace, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value,
  );
}

/** The inverse of traceToJson: typed arrays again, as the player expects. */
export function traceFromJson(text: string): NetworkTrace {
  const plain = JSON.parse(text) as Plain<NetworkTrace>;
  return {
    ...plain,
    times: Float64Array.from(plain.times),
    panels: plain.panels.map((panel) => ({
      ...panel,
      x: Float32Array.from(panel.x),
      y: Float32Array.from(panel.y),
      edges: Uint32Array.from(panel.edges),
      states: Uint8Array.from(panel.states),
      levels: Float32Array.from(panel.levels),
      messageStart: Uint32Array.from(panel.messageStart),
      messageFrom: Uint32Array.from(panel.messageFrom),
      messageTo: Uint32Array.from(panel.messageTo),
      messageKind: Uint8Array.from(panel.messageKind),
    })),
  };
}
