/**
 * The file-distribution lab's network view: a small copy of both runs of the lab's own
 * simulation (client-server is simulateSwarm with peers that never upload), each recorded
 * step by step by a SwarmStepLog passed in as its observer, then laid on one clock: frames
 * at multiples of one interval Δ, the same times on both sides.
 */
import { formatCount, formatDuration, plural } from '../kernel/format';
import { MAX_FRAMES, TraceRecorder, starLayout, type LegendEntry, type NetworkTrace } from '../kernel/trace';

/** The sender an observer hears of when the server sends a chunk. */
export const SERVER = -1;

/** Sees a run of simulateSwarm as it happens; it draws no random numbers and changes nothing. */
export interface SwarmObserver {
  /** A chunk sent to `peer` by the server (sender SERVER) or by peer `sender`. */
  transfer(sender: number, peer: number, chunk: number): void;
  /** A step of length `stepLength` ended at `time`; `held[p]` is how many chunks peer p holds (read only). */
  stepEnd(time: number, stepLength: number, held: Int32Array): void;
}

/** Keeps what a run did, step by step: who sent chunks to whom, and what each peer held after. */
export class SwarmStepLog implements SwarmObserver {
  /** End time and length of each step. */
  readonly times: number[] = [];
  readonly stepLengths: number[] = [];
  /** Sender and receiver of every chunk, in order; step s's are transferStart[s] … transferStart[s + 1]. */
  readonly senders: number[] = [];
  readonly receivers: number[] = [];
  readonly transferStart: number[] = [0];
  /** Chunks each peer holds at the end of each step: held[s · peers + p]. */
  readonly held: number[] = [];

  constructor(readonly peers: number) {}

  transfer(sender: number, peer: number): void {
    this.senders.push(sender);
    this.receivers.push(peer);
  }

  stepEnd(time: number, stepLength: number, held: Int32Array): void {
    this.times.push(time);
    this.stepLengths.push(stepLength);
    this.transferStart.push(this.senders.length);
    for (let p = 0; p < this.peers; p++) this.held.push(held[p] as number);
  }

  get steps(): number {
    return this.times.length;
  }

  /** When the run ended: the last peer had the whole file. */
  get end(): number {
    return this.times[this.times.length - 1] ?? 0;
  }
}

/* ------------------------------------------------------------------ the trace */

/** Node states: indices into the node legend. */
export const NODE_STATE = { server: 0, empty: 1, partial: 2, complete: 3, left: 4 } as const;
const NODE_LEGEND: LegendEntry[] = [
  { label: 'server (holds every chunk)', tone: 'server' },
  { label: 'peer with no chunk yet', tone: 'idle' },
  { label: 'peer with part of the file (bar: share of chunks)', tone: 'busy' },
  { label: 'peer with the whole file', tone: 'done' },
];
const LEFT_LEGEND: LegendEntry = { label: 'peer that left with the whole file', tone: 'off' };
export const MESSAGE_KIND = { fromServer: 0, fromPeer: 1 } as const;
const MESSAGE_LEGEND: LegendEntry[] = [
  { label: 'chunk from the server', tone: 'server' },
  { label: 'chunk from a peer', tone: 'accent' },
];
export const CLIENT_SERVER_PANEL = 0;
export const SWARM_PANEL = 1;

/** One side of a frame, in numbers. */
export interface SideNumbers {
  /** Chunks sent during the frame by the server, and by peers. */
  serverChunks: number;
  peerChunks: number;
  /** Peers holding the whole file at the frame's time. */
  complete: number;
  /** When the run ended, if it ended before this frame began; otherwise null. */
  finishedAt: number | null;
}

export interface FrameNumbers {
  time: number;
  peers: number;
  chunks: number;
  /** Peers leave the swarm once they have the whole file. */
  leaving: boolean;
  clientServer: SideNumbers;
  swarm: SideNumbers;
}

function describeSide(side: SideNumbers, n: FrameNumbers, isSwarm: boolean): string {
  const { peers } = n;
  const complete =
    peers === 1
      ? `the peer ${side.complete === 1 ? 'has' : 'does not have'} the whole file`
      : `${formatCount(side.complete)} of ${plural(peers, 'peer')} ${side.complete === 1 ? 'has' : 'have'} the whole file`;
  const gone = isSwarm && n.leaving && side.complete > 0 ? ` and ${side.complete === 1 ? 'has' : 'have'} left` : '';
  if (side.finishedAt !== null) return `finished at t = ${formatDuration(side.finishedAt)}; ${complete}${gone}`;
  let sends = `the server sends ${plural(side.serverChunks, 'chunk')}`;
  if (isSwarm && peers > 1) sends += ` and peers send ${formatCount(side.peerChunks)} to each other`;
  return `${sends}; ${complete}${gone}`;
}

/** Each side's words alone, for a diagram that shows one side: [client-server, swarm]. */
export function describeSides(n: FrameNumbers): [string, string] {
  if (n.time === 0) {
    const pieces = n.chunks === 1 ? 'the whole file, in one piece' : `all ${formatCount(n.chunks)} chunks of the file`;
    const nobody = n.peers === 1 ? 'the peer has none of it yet' : `none of the ${plural(n.peers, 'peer')} has any of it yet`;
    const text = `The server holds ${pieces}; ${nobody}.`;
    return [text, text];
  }
  const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  return [sentence(describeSide(n.clientServer, n, false)), sentence(describeSide(n.swarm, n, true))];
}

/** One frame in words, from that frame's numbers. */
export function describeFrame(n: FrameNumbers): string {
  if (n.time === 0) {
    const pieces = n.chunks === 1 ? 'the whole file, in one piece' : `all ${formatCount(n.chunks)} chunks of the file`;
    const nobody = n.peers === 1 ? 'the peer has none of it yet' : `none of the ${plural(n.peers, 'peer')} has any of it yet`;
    return `On both sides the server holds ${pieces}; ${nobody}.`;
  }
  return `Client-server: ${describeSide(n.clientServer, n, false)}. Swarm: ${describeSide(n.swarm, n, true)}.`;
}

export interface FileDistributionTraceOptions {
  /** Peers in the reader's setting (the small copy has the logs' peers). */
  readerPeers: number;
  chunks: number;
  leaving: boolean;
}

export interface FileDistributionTrace {
  trace: NetworkTrace;
  /** Per frame, the numbers its description was written from. */
  frames: FrameNumbers[];
  /** Simulated time between frames. */
  frameLength: number;
}

/**
 * Most messages a trace keeps, both sides together: beyond it, frames merge more steps
 * (fewer frames hold fewer distinct sender-receiver pairs).
 */
export const MESSAGE_BUDGET = 5000;

/** Distinct sender-receiver pairs per frame, summed: the messages a trace with this frame length holds. */
function messagesAt(log: SwarmStepLog, frameLength: number): number {
  const pairs = new Set<number>();
  const nodes = log.peers + 1;
  for (let step = 0; step < log.steps; step++) {
    const frame = Math.ceil((log.times[step] as number) / frameLength - 1e-9);
    for (let t = log.transferStart[step] as number; t < (log.transferStart[step + 1] as number); t++) {
      pairs.add((frame * nodes + (log.senders[t] as number) + 1) * nodes + (log.receivers[t] as number));
    }
  }
  return pairs.size;
}

/** "one step", "up to 3 steps". */
const stepsText = (count: number): string => (count === 1 ? 'one step' : `up to ${count} steps`);

/**
 * Lays both logs on one clock. A frame is Δ of simulated time and frame k closes at k·Δ
 * with the steps that ended since frame k − 1: Δ is the longest simulation step (so each
 * frame holds at least one step of a run still going, and is exactly one step when both
 * runs step alike), or longer when that is needed to fit the longer run in MAX_FRAMES, or
 * a whole multiple of that when the messages would exceed MESSAGE_BUDGET. A run that ends
 * first stays as it ended. Messages are drawn once per sender and receiver in a frame (the
 * descriptions count the chunks).
 */
export function buildFileDistributionTrace(
  clientServer: SwarmStepLog,
  swarm: SwarmStepLog,
  options: FileDistributionTraceOptions,
): FileDistributionTrace {
  const peers = swarm.peers;
  if (clientServer.peers !== peers) throw new RangeError('both runs need the same peers');
  const { chunks, leaving, readerPeers } = options;
  const totalTime = Math.max(clientServer.end, swarm.end);
  let longestStep = 0;
  for (const length of [...clientServer.stepLengths, ...swarm.stepLengths]) longestStep = Math.max(longestStep, length);
  const shortest = Math.max(totalTime / (MAX_FRAMES - 1), longestStep);
  let frameLength = shortest;
  for (
    let multiple = 2;
    messagesAt(clientServer, frameLength) + messagesAt(swarm, frameLength) > MESSAGE_BUDGET && frameLength < totalTime;
    multiple++
  ) {
    frameLength = shortest * multiple;
  }
  const lastFrame = Math.max(1, Math.ceil(totalTime / frameLength - 1e-9));
  // The frame a step belongs to: the first multiple of Δ at or after its end (rounding slack
  // for step ends summed in floating point).
  const frameOf = (time: number): number => Math.ceil(time / frameLength - 1e-9);

  const layout = starLayout(peers + 1);
  const names = ['server', ...Array.from({ length: peers }, (_, p) => `peer ${p + 1}`)];
  const recorder = new TraceRecorder(
    [
      { title: `Client-server: one server, ${plural(peers, 'peer')}`, ...layout, names, levels: true },
      { title: `P2P swarm: the server and ${plural(peers, 'peer')}`, ...layout, names, levels: true },
    ],
    leaving ? [...NODE_LEGEND, LEFT_LEGEND] : NODE_LEGEND,
    MESSAGE_LEGEND,
    NODE_STATE.empty,
  );
  for (const panel of [CLIENT_SERVER_PANEL, SWARM_PANEL]) {
    recorder.setState(panel, 0, NODE_STATE.server);
    recorder.setLevel(panel, 0, 1);
  }

  const sides = [
    { log: clientServer, panel: CLIENT_SERVER_PANEL, isSwarm: false, nextStep: 0, mostStepsInFrame: 0 },
    { log: swarm, panel: SWARM_PANEL, isSwarm: true, nextStep: 0, mostStepsInFrame: 0 },
  ];
  const frames: FrameNumbers[] = [];
  const base = { peers, chunks, leaving };
  const none: SideNumbers = { serverChunks: 0, peerChunks: 0, complete: 0, finishedAt: null };
  const start: FrameNumbers = { time: 0, ...base, clientServer: none, swarm: none };
  frames.push(start);
  recorder.frame(0, describeFrame(start), describeSides(start));

  const pairs = new Set<number>();
  for (let frame = 1; frame <= lastFrame; frame++) {
    const time = frame * frameLength;
    const [csNumbers, swarmNumbers] = sides.map((side): SideNumbers => {
      const { log, panel } = side;
      const finishedBefore = log.steps > 0 && frameOf(log.end) < frame;
      let serverChunks = 0;
      let peerChunks = 0;
      let stepsInFrame = 0;
      pairs.clear();
      while (side.nextStep < log.steps && frameOf(log.times[side.nextStep] as number) <= frame) {
        const step = side.nextStep++;
        stepsInFrame++;
        for (let t = log.transferStart[step] as number; t < (log.transferStart[step + 1] as number); t++) {
          const sender = log.senders[t] as number;
          const receiver = log.receivers[t] as number;
          if (sender === SERVER) serverChunks++;
          else peerChunks++;
          const from = sender === SERVER ? 0 : sender + 1;
          const key = from * (peers + 1) + receiver + 1;
          if (pairs.has(key)) continue;
          pairs.add(key);
          recorder.message(panel, from, receiver + 1, sender === SERVER ? MESSAGE_KIND.fromServer : MESSAGE_KIND.fromPeer);
        }
      }
      side.mostStepsInFrame = Math.max(side.mostStepsInFrame, stepsInFrame);
      // States and bars from what each peer held after the frame's last step.
      let complete = 0;
      if (side.nextStep > 0) {
        const heldBase = (side.nextStep - 1) * peers;
        for (let p = 0; p < peers; p++) {
          const held = log.held[heldBase + p] as number;
          const whole = held === chunks;
          if (whole) complete++;
          recorder.setLevel(panel, p + 1, held / chunks);
          recorder.setState(
            panel,
            p + 1,
            whole ? (side.isSwarm && leaving ? NODE_STATE.left : NODE_STATE.complete) : held > 0 ? NODE_STATE.partial : NODE_STATE.empty,
          );
        }
      }
      return { serverChunks, peerChunks, complete, finishedAt: finishedBefore ? log.end : null };
    }) as [SideNumbers, SideNumbers];
    const numbers: FrameNumbers = { time, ...base, clientServer: csNumbers, swarm: swarmNumbers };
    frames.push(numbers);
    recorder.frame(time, describeFrame(numbers), describeSides(numbers));
  }

  const who =
    peers < readerPeers
      ? `${formatCount(peers)} of the ${formatCount(readerPeers)} peers`
      : peers === 1
        ? 'The one peer'
        : `All ${formatCount(peers)} peers`;
  const pieces = chunks === 1 ? 'the file in one piece as set' : `the file in ${formatCount(chunks)} chunks as set`;
  const [cs, sw] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const merged =
    cs.mostStepsInFrame <= 1 && sw.mostStepsInFrame <= 1
      ? 'one step of each simulation'
      : `${stepsText(cs.mostStepsInFrame)} of the client-server simulation and ${stepsText(sw.mostStepsInFrame)} of the swarm's`;
  const caption =
    `${who}; ${pieces}; every other parameter as set. One frame = ${formatDuration(frameLength)} of simulated time (${merged}); ` +
    'a side that finishes first stays as it ended.';
  return { trace: recorder.finish(caption), frames, frameLength };
}
