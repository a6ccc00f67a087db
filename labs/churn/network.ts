/**
 * The churn lab's network view: a small copy of the on/off simulation (simulateChurn,
 * with this recorder passed in as its observer), drawn beside the r replicated servers
 * going down and up on the same clock.
 */
import type { Random } from '../kernel/random';
import { formatCount, formatDuration, plural } from '../kernel/format';
import { MAX_FRAMES, TraceRecorder, ringLayout, type LegendEntry, type NetworkTrace } from '../kernel/trace';

/**
 * The simulation's own state, read (never written) by an observer. The arrays are the
 * simulation's: allocated once, updated in place as events happen.
 */
export interface ChurnView {
  /** 1 while the peer is online. */
  readonly online: Uint8Array;
  /** Online holders of each item. */
  readonly itemOnline: Int32Array;
  /** Item i's holders are slotPeer[itemStart[i] … itemStart[i] + itemCopies[i]). */
  readonly itemStart: Int32Array;
  readonly itemCopies: Int32Array;
  readonly slotPeer: Int32Array;
}

/** Sees a run of simulateChurn as it happens; it draws no random numbers and changes nothing. */
export interface ChurnObserver {
  /** The state at time 0, before the first event. */
  start(view: ChurnView): void;
  /** Called before the event at `time` (hours) changes the state. */
  advance(time: number): void;
  /** A copy of `item` re-created: sent from its online holder `from` to the new holder `to`. */
  repairCopy(item: number, from: number, to: number): void;
  /** The run reached its horizon (hours). */
  end(horizon: number): void;
}

/* ------------------------------------------------------------------ servers */

/**
 * r independent servers, each an alternating renewal process: up for an exponential time
 * of mean MTBF, then down for an exponential repair of mean MTTR. Each starts in its
 * long-run state (up with probability MTBF/(MTBF + MTTR); memoryless, so the time left is
 * a fresh draw), so the share of time up is MTBF/(MTBF + MTTR) from time 0 on.
 */
export class ServerReplicas {
  readonly up: Uint8Array;
  /** Time of each server's next failure or return. */
  private readonly next: Float64Array;
  /** Time each server has been up, and time with every server down, from 0 to the last advanceTo. */
  readonly upTime: Float64Array;
  allDownTime = 0;
  private upServers = 0;
  /** When each server last came up, and when the last one went down (for the sums above). */
  private readonly upSince: Float64Array;
  private allDownSince = 0;
  private clock = 0;

  constructor(
    readonly count: number,
    private readonly mtbf: number,
    private readonly mttr: number,
    private readonly random: Random,
  ) {
    this.up = new Uint8Array(count);
    this.next = new Float64Array(count);
    this.upTime = new Float64Array(count);
    this.upSince = new Float64Array(count);
    const share = mtbf / (mtbf + mttr);
    for (let s = 0; s < count; s++) {
      this.up[s] = random.next() < share ? 1 : 0;
      this.upServers += this.up[s] as number;
      this.next[s] = random.exponential(1 / (this.up[s] ? mtbf : mttr));
    }
  }

  get upCount(): number {
    return this.upServers;
  }

  /** Runs every failure and repair up to `time`, and brings the sums of time up to it. */
  advanceTo(time: number): void {
    const { next, up, upTime, upSince } = this;
    for (;;) {
      let first = -1;
      let at = time;
      for (let s = 0; s < this.count; s++) {
        if ((next[s] as number) <= at) {
          first = s;
          at = next[s] as number;
        }
      }
      if (first < 0) break;
      if (up[first]) {
        up[first] = 0;
        upTime[first] = (upTime[first] as number) + at - Math.max(this.clock, upSince[first] as number);
        if (--this.upServers === 0) this.allDownSince = at;
        next[first] = at + this.random.exponential(1 / this.mttr);
      } else {
        up[first] = 1;
        upSince[first] = at;
        if (this.upServers++ === 0) this.allDownTime += at - Math.max(this.clock, this.allDownSince);
        next[first] = at + this.random.exponential(1 / this.mtbf);
      }
    }
    // Close the open periods at `time`, so the sums cover [0, time].
    for (let s = 0; s < this.count; s++) {
      if (up[s]) upTime[s] = (upTime[s] as number) + time - Math.max(this.clock, upSince[s] as number);
    }
    if (this.upServers === 0) this.allDownTime += time - Math.max(this.clock, this.allDownSince);
    this.clock = Math.max(this.clock, time);
  }
}

/* ------------------------------------------------------------------ the trace */

/** Node states: indices into NODE_LEGEND. */
export const NODE_STATE = { online: 0, holder: 1, offline: 2, lostHolder: 3, serverUp: 4, serverDown: 5 } as const;
export const NODE_LEGEND: LegendEntry[] = [
  { label: 'peer online', tone: 'done' },
  { label: 'peer online, holding a copy of a tracked item', tone: 'accent' },
  { label: 'peer offline', tone: 'off' },
  { label: 'peer offline, holding a copy of a lost item', tone: 'bad' },
  { label: 'server up', tone: 'server' },
  { label: 'server down, being repaired', tone: 'bad' },
];
export const MESSAGE_LEGEND: LegendEntry[] = [{ label: 'repair copy', tone: 'accent' }];
const SERVER_PANEL = 0;
const PEER_PANEL = 1;

/** Item names the descriptions use: A, B, C… */
export function itemName(item: number): string {
  return String.fromCharCode(65 + item);
}

export interface FrameNumbers {
  peers: number;
  online: number;
  /** Online copies of each tracked item. */
  itemOnline: ArrayLike<number>;
  /** Items that were lost at some moment since the previous frame but are back at this one. */
  lostBetween?: ArrayLike<number>;
  copies: number;
  /** Whether the run re-creates copies at all. */
  repairing: boolean;
  /** Repair copies since the previous frame; the first one's ends, to name it when it is alone. */
  repairs: number;
  firstRepair?: { item: number; from: number; to: number };
  servers: number;
  serversUp: number;
}

const listed = (names: string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/** One frame in words, from that frame's numbers. */
export function describeFrame(n: FrameNumbers): string {
  const available: string[] = [];
  const lost: string[] = [];
  for (let i = 0; i < n.itemOnline.length; i++) {
    const count = n.itemOnline[i] as number;
    if (count === 0) lost.push(itemName(i));
    else
      available.push(
        available.length === 0
          ? `item ${itemName(i)} has ${count} of ${n.copies} ${n.copies === 1 ? 'copy' : 'copies'} online`
          : `item ${itemName(i)} ${count} of ${n.copies}`,
      );
  }
  const parts = [`${n.online} of ${n.peers} peers online`];
  if (available.length > 0) parts.push(available.join(', '));
  if (lost.length === 1) {
    parts.push(`item ${lost[0]} is lost: ${n.copies === 1 ? 'its only copy is offline' : `its ${n.copies} copies are all offline`}`);
  } else if (lost.length > 1) {
    parts.push(`items ${listed(lost)} are lost: ${n.copies === 1 ? 'each one’s only copy is offline' : 'all their copies are offline'}`);
  }
  const back = Array.from(n.lostBetween ?? [], itemName);
  if (back.length > 0) {
    parts.push(`${back.length === 1 ? `item ${back[0]} was` : `items ${listed(back)} were`} lost for a while since the previous frame`);
  }
  const first = `${parts.join('; ')}.`;
  const servers =
    n.servers === 1
      ? `The server is ${n.serversUp === 1 ? 'up' : 'down'}.`
      : `Servers: ${n.serversUp} of ${n.servers} up${n.serversUp === 0 ? ', so the service is down' : ''}.`;
  let repairs = '';
  if (n.repairing && n.repairs === 1 && n.firstRepair) {
    const { item, from, to } = n.firstRepair;
    repairs = `Peer ${from + 1} copies item ${itemName(item)} to peer ${to + 1}. `;
  } else if (n.repairing && n.repairs > 1) {
    repairs = `${formatCount(n.repairs)} repair copies made. `;
  }
  return `${first} ${repairs}${servers}`;
}

export interface ChurnTraceOptions {
  /** Peers in the small copy, and in the reader's network. */
  peers: number;
  readerPeers: number;
  /** Items the charts track, for the caption. */
  chartItems: number;
  /** Items tracked, each on `copies` peers. */
  items: number;
  copies: number;
  repairing: boolean;
  servers: ServerReplicas;
  /** Hours shown, and the number of equal steps between frames. */
  horizon: number;
  steps: number;
}

/**
 * Records the small run: at each of steps + 1 fixed times it reads the simulation's
 * state into one frame (peers on a ring, servers beside them), with the repair copies
 * made since the previous frame as its messages.
 */
export class ChurnTraceRecorder implements ChurnObserver {
  private readonly recorder: TraceRecorder;
  private view: ChurnView | null = null;
  private nextFrame = 0;
  private repairs = 0;
  private firstRepair: FrameNumbers['firstRepair'];
  /** Items seen with no online copy since the previous frame. */
  private lostSinceFrame: Uint8Array;
  /** Per frame, the numbers its description was written from (for tests and callers). */
  readonly frameNumbers: FrameNumbers[] = [];

  constructor(private readonly options: ChurnTraceOptions) {
    if (options.steps + 1 > MAX_FRAMES) throw new RangeError('too many frames for a trace');
    this.lostSinceFrame = new Uint8Array(options.items);
    const { peers, servers } = options;
    const ring = ringLayout(peers);
    const serverRing = servers.count === 1 ? { x: [0.5], y: [0.5] } : ringLayout(servers.count, 0.25);
    const serverNames = Array.from({ length: servers.count }, (_, s) => `server ${s + 1}`);
    this.recorder = new TraceRecorder(
      [
        { title: `Client-server: ${plural(servers.count, 'server')}`, ...serverRing, names: serverNames },
        {
          title: `P2P: ${peers} peers, ${options.items} items × ${plural(options.copies, 'copy', 'copies')}`,
          ...ring,
          names: Array.from({ length: peers }, (_, p) => `peer ${p + 1}`),
          levels: true,
        },
      ],
      NODE_LEGEND,
      MESSAGE_LEGEND,
      NODE_STATE.offline,
    );
  }

  private frameTime(frame: number): number {
    const { horizon, steps } = this.options;
    return frame >= steps ? horizon : (frame * horizon) / steps;
  }

  start(view: ChurnView): void {
    this.view = view;
  }

  advance(time: number): void {
    while (this.nextFrame <= this.options.steps && this.frameTime(this.nextFrame) < time) this.closeFrame();
    // The state now lasts until `time`, inside the next frame's interval: note the items it finds lost.
    const view = this.view;
    if (!view) return;
    for (let item = 0; item < this.options.items; item++) if (view.itemOnline[item] === 0) this.lostSinceFrame[item] = 1;
  }

  end(horizon: number): void {
    while (this.nextFrame <= this.options.steps && this.frameTime(this.nextFrame) <= horizon) this.closeFrame();
  }

  repairCopy(item: number, from: number, to: number): void {
    if (item >= this.options.items) return;
    if (this.repairs === 0) this.firstRepair = { item, from, to };
    this.repairs++;
    this.recorder.message(PEER_PANEL, from, to, 0);
  }

  private closeFrame(): void {
    const view = this.view;
    if (!view) throw new Error('the churn recorder was not started');
    const { peers, items, copies, servers } = this.options;
    const time = this.frameTime(this.nextFrame);
    servers.advanceTo(time);

    const held = new Int32Array(peers);
    const holdsLost = new Uint8Array(peers);
    const itemOnline: number[] = [];
    const lostBetween: number[] = [];
    for (let item = 0; item < items; item++) {
      const lost = view.itemOnline[item] === 0;
      itemOnline.push(view.itemOnline[item] as number);
      if (!lost && this.lostSinceFrame[item]) lostBetween.push(item);
      const start = view.itemStart[item] as number;
      for (let s = start; s < start + (view.itemCopies[item] as number); s++) {
        const peer = view.slotPeer[s] as number;
        held[peer] = (held[peer] as number) + 1;
        if (lost) holdsLost[peer] = 1;
      }
    }
    let online = 0;
    for (let peer = 0; peer < peers; peer++) {
      const isOnline = view.online[peer] === 1;
      online += isOnline ? 1 : 0;
      const state = isOnline
        ? held[peer]! > 0
          ? NODE_STATE.holder
          : NODE_STATE.online
        : holdsLost[peer]
          ? NODE_STATE.lostHolder
          : NODE_STATE.offline;
      this.recorder.setState(PEER_PANEL, peer, state);
      this.recorder.setLevel(PEER_PANEL, peer, (held[peer] as number) / items);
    }
    for (let s = 0; s < servers.count; s++) {
      this.recorder.setState(SERVER_PANEL, s, servers.up[s] ? NODE_STATE.serverUp : NODE_STATE.serverDown);
    }
    const numbers: FrameNumbers = {
      peers,
      online,
      itemOnline,
      ...(lostBetween.length > 0 ? { lostBetween } : {}),
      copies,
      repairing: this.options.repairing,
      repairs: this.repairs,
      ...(this.firstRepair ? { firstRepair: this.firstRepair } : {}),
      servers: servers.count,
      serversUp: servers.upCount,
    };
    this.frameNumbers.push(numbers);
    this.recorder.frame(time * 3600, describeFrame(numbers));
    this.repairs = 0;
    this.firstRepair = undefined;
    this.lostSinceFrame.fill(0);
    this.nextFrame++;
  }

  finish(cycles: number): NetworkTrace {
    const { peers, readerPeers, chartItems, items, copies, horizon, steps, servers } = this.options;
    const scale = peers === readerPeers ? `All ${peers} peers` : `${peers} of the ${formatCount(readerPeers)} peers`;
    const caption =
      `${scale}, drawn on a ring, with ${items} items of k = ${copies} ${copies === 1 ? 'copy' : 'copies'} each (the charts track ${formatCount(chartItems)}); a peer’s bar shows how many of the ${items} it holds; ` +
      `${formatDuration(horizon * 3600)} (${cycles} mean on/off cycles) shown every ${formatDuration((horizon * 3600) / steps)}; every other parameter as set. ` +
      `The ${servers.count === 1 ? 'server is' : `${servers.count} servers are`} simulated beside them on the same clock, up and in repair for exponential times with means MTBF and MTTR.`;
    return this.recorder.finish(caption);
  }
}
