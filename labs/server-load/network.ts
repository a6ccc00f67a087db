/**
 * The server-load lab's network view: a small instance of the lab's own queue simulation
 * (`simulateStations`, through `simulatePeers` for the P2P side), recorded by an observer
 * while it runs. Two panels on one clock: the server with its clients (a star), and the
 * online peers on their Chord ring, each request routed hop by hop to the peer that holds it.
 */
import { createRandom } from '../kernel/random';
import { deriveSeed } from '../kernel/stats';
import { formatCount, formatDuration, formatSig, plural } from '../kernel/format';
import { RING_SIZE } from '../kernel/chord';
import { idRingLayout, starLayout, TraceRecorder, type LegendEntry, type NetworkTrace, type PanelLayout } from '../kernel/trace';
import {
  ClientRouting,
  lookupHops,
  simulatePeers,
  simulateStations,
  stationarySampler,
  type ArrivalFate,
  type OverlayRouting,
  type PeerSide,
  type ServerLoadParams,
  type StationObserver,
  type StationOutcome,
} from './model';

/** Clients drawn round the server: few enough to tell apart. */
export const VIEW_CLIENTS = 24;
/** Online peers the ring aims at (about this many are drawn online). */
export const VIEW_ONLINE_PEERS = 40;
/** Most peers on the P2P side, so that a small p does not mean thousands of requesters. */
export const VIEW_MAX_PEERS = 400;
/** Steps of simulated time after the start frame. */
export const VIEW_STEPS = 200;
/** Requests per step across both panels, on average: enough to see the queues move, few enough to follow. */
const ARRIVALS_PER_STEP = 2;

export interface ViewScale {
  /** Clients round the server. */
  serverClients: number;
  /** Peers on the P2P side (online or not); each online with probability p. */
  peerClients: number;
  /** The server's service rate per worker in the view: μ × serverClients / N, so that it carries the load of all N. */
  serverServiceRate: number;
  /** Simulated seconds per frame. */
  step: number;
  steps: number;
}

/** The largest 1-2-5 value not above `value`, so that frame times read as round numbers. */
function roundStep(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  const mantissa = value / decade;
  return (mantissa >= 5 ? 5 : mantissa >= 2 ? 2 : 1) * decade;
}

/**
 * What the view scales down. The server keeps c and K and its clients send λ each, but
 * each worker serves at μ·n/N: the offered load a = nλ/(μn/N) = Nλ/μ is the lab's at the
 * largest N, so the M/M/c/(c+K) queue has the same stationary distribution, drops and
 * utilisation, on a clock N/n times slower. A peer's load λ/p does not depend on N, so the
 * P2P side keeps every rate as set and only has fewer peers (and shorter lookups).
 */
export function viewScale(params: ServerLoadParams): ViewScale {
  const serverClients = Math.min(params.clients, VIEW_CLIENTS);
  const peerClients = Math.min(
    params.clients,
    VIEW_MAX_PEERS,
    Math.max(VIEW_ONLINE_PEERS, Math.round(VIEW_ONLINE_PEERS / params.onlineShare)),
  );
  const totalRate = (serverClients + peerClients) * params.requestRate;
  return {
    serverClients,
    peerClients,
    serverServiceRate: (params.serviceRate * serverClients) / params.clients,
    step: roundStep(ARRIVALS_PER_STEP / totalRate),
    steps: VIEW_STEPS,
  };
}

/** Requests that cover `horizon` seconds of a Poisson stream of `rate`, with a margin of 8 standard deviations. */
function requestsFor(rate: number, horizon: number): number {
  const expected = rate * horizon;
  return Math.ceil(expected + 8 * Math.sqrt(expected) + 20);
}

/* ---------- Legends, shared by both panels ---------- */

interface NodeStates {
  idle: number;
  partlyBusy: number;
  allBusy: number;
  waiting: number;
  dropped: number;
  offline: number;
  index: number;
}

function legends(params: ServerLoadParams): { nodes: LegendEntry[]; states: NodeStates } {
  const nodes: LegendEntry[] = [];
  const add = (label: string, tone: LegendEntry['tone']): number => nodes.push({ label, tone }) - 1;
  const idle = add('idle: nothing to serve', 'idle');
  const partlyBusy = params.workers > 1 ? add('serving, a worker free', 'done') : -1;
  const allBusy = add('serving, every worker busy', 'busy');
  const waiting = add('client waiting for a reply', 'accent');
  const dropped = add('client whose request was just dropped', 'bad');
  const offline = params.onlineShare < 1 ? add('peers not online: they ask but do not serve', 'off') : -1;
  const index = params.lookup === 'index' ? add('central index', 'server') : -1;
  return { nodes, states: { idle, partlyBusy, allBusy, waiting, dropped, offline, index } };
}

export const MESSAGE_KIND = { request: 0, hop: 1, reply: 2, dropped: 3 } as const;
const MESSAGE_LEGEND: LegendEntry[] = [
  { label: 'request', tone: 'accent' },
  { label: 'lookup hop', tone: 'muted' },
  { label: 'reply', tone: 'done' },
  { label: 'dropped: waiting room full', tone: 'bad' },
];

/* ---------- The observer that records one panel ---------- */

/** What happened in one step of one panel, for its description. */
export interface StepCounts {
  arrivals: number;
  dropped: number;
  answered: number;
  hops: number;
}

interface TapeOptions {
  stations: number;
  workers: number;
  /** c + K: the most requests a station holds. */
  places: number;
  requests: number;
  step: number;
  steps: number;
  states: NodeStates;
  /** Called at each arrival, right after the routing chose the station: records the lookup hops and returns the requester's node. */
  route(owner: number, counts: StepCounts): number;
  /** Nodes whose state shows their own requests (the clients round the server); none on the P2P side. */
  clients?: { first: number; count: number };
  describe(tape: QueueTape, counts: StepCounts, start: boolean): string;
}

/**
 * Records one panel from the events of `simulateStations`: station s is node s, its state
 * the workers busy, its level the requests it holds out of c + K. Frames close at fixed
 * steps of simulated time; an event after a step's end closes that step first, so each
 * frame shows the state at its end and the messages of the step that led to it.
 */
export class QueueTape implements StationObserver {
  readonly inSystem: Int32Array;
  /** Over the whole run, including what the frames do not show (for tests against the simulation's own counts). */
  readonly totals = { arrivals: 0, dropped: 0, served: 0, startServed: 0, hops: 0 };
  private readonly requesterOf: Int32Array;
  private readonly pending: Int32Array;
  private readonly flashed: number[] = [];
  private counts: StepCounts = { arrivals: 0, dropped: 0, answered: 0, hops: 0 };
  private stepsClosed = 0;
  private started = false;
  /** Time of the last arrival once every request has arrived: steps ending later would miss arrivals. */
  private arrivalsEnd = Infinity;

  constructor(
    readonly recorder: TraceRecorder,
    private readonly options: TapeOptions,
  ) {
    this.inSystem = new Int32Array(options.stations);
    this.requesterOf = new Int32Array(options.requests).fill(-1);
    this.pending = new Int32Array(options.clients?.count ?? 0);
  }

  get frames(): number {
    return this.recorder.frames;
  }

  /** The state a station shows when it holds `present` requests. */
  private stationState(present: number): number {
    const { workers, states } = this.options;
    if (present === 0) return states.idle;
    return present >= workers ? states.allBusy : states.partlyBusy;
  }

  private showStation(station: number): void {
    const present = this.inSystem[station] as number;
    this.recorder.setState(0, station, this.stationState(present));
    this.recorder.setLevel(0, station, present / this.options.places);
  }

  private showClient(node: number): void {
    const clients = this.options.clients;
    if (!clients) return;
    const waiting = (this.pending[node - clients.first] as number) > 0;
    this.recorder.setState(0, node, waiting ? this.options.states.waiting : this.options.states.idle);
  }

  /** Closes every step that ends before `time`. */
  private advanceTo(time: number): void {
    const { step, steps } = this.options;
    while (this.stepsClosed < steps && time > (this.stepsClosed + 1) * step) {
      // Rounded so that 3 × 0.1 s is 0.3 s, not 0.30000000000000004 s.
      const end = Number(((this.stepsClosed + 1) * step).toPrecision(12));
      // A step that ends after the last arrival would show a gap in the stream that the lab does not have.
      if (end > this.arrivalsEnd) return;
      this.recorder.frame(end, this.options.describe(this, this.counts, false));
      this.stepsClosed++;
      this.counts = { arrivals: 0, dropped: 0, answered: 0, hops: 0 };
      for (const node of this.flashed) this.showClient(node);
      this.flashed.length = 0;
    }
  }

  private get recording(): boolean {
    return this.stepsClosed < this.options.steps;
  }

  initial(station: number, present: number): void {
    this.inSystem[station] = present;
    this.showStation(station);
    if (station === this.options.stations - 1 && !this.started) {
      this.started = true;
      this.recorder.frame(0, this.options.describe(this, this.counts, true));
    }
  }

  arrival(time: number, request: number, station: number, fate: ArrivalFate): void {
    this.advanceTo(time);
    this.totals.arrivals++;
    if (request === this.options.requests - 1) this.arrivalsEnd = time;
    const recording = this.recording;
    const counts: StepCounts = recording ? this.counts : { arrivals: 0, dropped: 0, answered: 0, hops: 0 };
    const hopsBefore = counts.hops;
    // The lookup's messages are drawn (and counted) only while recording; the route is the simulation's.
    const requester = this.options.route(station, counts);
    this.totals.hops += counts.hops - hopsBefore;
    counts.arrivals++;
    if (fate === 'dropped') {
      this.totals.dropped++;
      counts.dropped++;
      if (recording) {
        if (requester !== station) this.recorder.message(0, requester, station, MESSAGE_KIND.dropped);
        const clients = this.options.clients;
        if (clients && requester >= clients.first) {
          this.recorder.setState(0, requester, this.options.states.dropped);
          this.flashed.push(requester);
        }
      }
      return;
    }
    this.requesterOf[request] = requester;
    this.inSystem[station] = (this.inSystem[station] as number) + 1;
    const clients = this.options.clients;
    if (clients && requester >= clients.first)
      this.pending[requester - clients.first] = (this.pending[requester - clients.first] as number) + 1;
    if (recording) {
      if (requester !== station) this.recorder.message(0, requester, station, MESSAGE_KIND.request);
      this.showStation(station);
      // A client whose request was dropped earlier in this step keeps its flash until the step ends.
      if (clients && requester >= clients.first && this.recorder.state(0, requester) !== this.options.states.dropped)
        this.showClient(requester);
    }
  }

  departure(time: number, request: number, station: number): void {
    this.advanceTo(time);
    this.inSystem[station] = (this.inSystem[station] as number) - 1;
    if (request < 0) this.totals.startServed++;
    else this.totals.served++;
    // Requests present at time 0 came from no one the view knows: they leave without a drawn reply.
    const requester = request >= 0 ? (this.requesterOf[request] as number) : -1;
    const clients = this.options.clients;
    if (clients && requester >= clients.first)
      this.pending[requester - clients.first] = (this.pending[requester - clients.first] as number) - 1;
    if (!this.recording) return;
    this.counts.answered++;
    if (requester >= 0 && requester !== station) this.recorder.message(0, station, requester, MESSAGE_KIND.reply);
    this.showStation(station);
    if (clients && requester >= clients.first && this.recorder.state(0, requester) !== this.options.states.dropped)
      this.showClient(requester);
  }

  /** After the run: closes the steps the run covered (the last event may end before the last step does). */
  finish(): void {
    this.advanceTo(Math.min(this.arrivalsEnd, this.options.steps * this.options.step) + this.options.step * 1e-9);
  }
}

/* ---------- Descriptions, from each step's numbers ---------- */

/** A whole count as formatCount prints it; small ones without the locale call, which costs microseconds on every frame. */
function count(value: number): string {
  return value >= 0 && value < 1000 ? String(value) : formatCount(value);
}

/** "1 request", "4 requests", as the kernel's plural() prints them. */
function counted(value: number, singular: string): string {
  return `${count(value)} ${value === 1 ? singular : `${singular}s`}`;
}

function arrivalsText(counts: StepCounts, withHops: boolean): string {
  if (counts.arrivals === 0 && counts.answered === 0) return 'no request arrives';
  const parts = [
    counts.arrivals === 0 ? 'no request arrives' : `${counted(counts.arrivals, 'request')} ${counts.arrivals === 1 ? 'arrives' : 'arrive'}`,
  ];
  if (withHops && counts.hops > 0) parts.push(`over ${counted(counts.hops, 'lookup hop')}`);
  if (counts.dropped > 0) parts[parts.length - 1] += `, ${count(counts.dropped)} dropped`;
  parts[parts.length - 1] += `, ${count(counts.answered)} answered`;
  return parts.join(' ');
}

function workersText(busy: number, workers: number): string {
  if (workers === 1) return busy > 0 ? 'its worker busy' : 'its worker idle';
  if (busy === 0) return `all ${count(workers)} workers idle`;
  return busy >= workers ? `all ${count(workers)} workers busy` : `${count(busy)} of ${count(workers)} workers busy`;
}

/** The busiest queue of a panel: its station (lowest on ties) and how many requests it holds. */
export function fullestStation(inSystem: ArrayLike<number>): { station: number; present: number; busy: number } {
  let station = -1;
  let present = 0;
  let busy = 0;
  for (let s = 0; s < inSystem.length; s++) {
    const held = inSystem[s] as number;
    if (held > 0) busy++;
    if (held > present) {
      present = held;
      station = s;
    }
  }
  return { station, present, busy };
}

/* ---------- The trace ---------- */

export interface NetworkRun {
  trace: NetworkTrace;
  scale: ViewScale;
  server: { outcome: StationOutcome; tape: QueueTape };
  /** Null when no peer of the view is online: nothing is simulated on that side. */
  peers: { side: PeerSide; tape: QueueTape; ring: Uint32Array } | null;
}

/**
 * Runs the lab's simulation on the view's scale with observers, and returns the trace for
 * the page and, for tests, what the runs reported. `seed` is the view's own (the lab passes
 * deriveSeed(seed, 0xfeed)), so the charts do not change.
 */
export function recordNetwork(params: ServerLoadParams, seed: number): NetworkRun {
  const scale = viewScale(params);
  const { step, steps } = scale;
  const horizon = step * steps;
  const { nodes: nodeLegend, states } = legends(params);
  const places = params.workers + params.queueCapacity;
  const peerPlaces = 1 + params.queueCapacity;
  const index = params.lookup === 'index';

  // Client-server: node 0 the server, nodes 1..n its clients.
  const clients = scale.serverClients;
  const star = starLayout(clients + 1);
  const starEdges: number[] = [];
  for (let client = 1; client <= clients; client++) starEdges.push(0, client);
  const serverLayout: PanelLayout = {
    title: `Client-server: 1 server, ${counted(clients, 'client')}`,
    ...star,
    edges: starEdges,
    names: ['the server', ...Array.from({ length: clients }, (_, i) => `client ${i + 1}`)],
    levels: true,
  };
  const serverRecorder = new TraceRecorder([serverLayout], nodeLegend, MESSAGE_LEGEND, states.idle);
  const serverArrivalRate = clients * params.requestRate;
  const serverRequests = requestsFor(serverArrivalRate, horizon);
  const clientRouting = new ClientRouting(clients);
  const serverTape = new QueueTape(serverRecorder, {
    stations: 1,
    workers: params.workers,
    places,
    requests: serverRequests,
    step,
    steps,
    states,
    route: () => clientRouting.client + 1,
    clients: { first: 1, count: clients },
    describe: (tape, counts, start) => {
      const present = tape.inSystem[0] as number;
      const holds = `${count(present)} of ${count(places)} places, ${workersText(Math.min(present, params.workers), params.workers)}`;
      return start
        ? `The server starts in a state drawn from its steady state at this load: it holds ${holds}.`
        : `Server: ${arrivalsText(counts, false)}; it holds ${holds}.`;
    },
  });
  const serverStart = stationarySampler(params.workers, params.queueCapacity, serverArrivalRate, scale.serverServiceRate);
  const serverOutcome = simulateStations(
    {
      stations: 1,
      workersPerStation: params.workers,
      waitingRoom: params.queueCapacity,
      arrivalRate: serverArrivalRate,
      serviceRate: scale.serverServiceRate,
      requests: serverRequests,
      routing: clientRouting,
      warmupShare: 0,
      initialInSystem: (_station, random) => serverStart(random),
      observer: serverTape,
    },
    createRandom(deriveSeed(seed, 0)),
  );
  serverTape.finish();

  // P2P: ring nodes 0..M−1 (by id), then the peers that are not online as one node, then the index.
  let peerRecorder: TraceRecorder | null = null;
  let peerTape: QueueTape | null = null;
  let ringIds: Uint32Array | null = null;
  const peerRequests = requestsFor(scale.peerClients * params.requestRate, horizon);
  const side = simulatePeers(params, scale.peerClients, createRandom(deriveSeed(seed, 1)), {
    requests: peerRequests,
    warmupShare: 0,
    observe: (ring: Uint32Array, routing: OverlayRouting) => {
      ringIds = ring;
      const online = ring.length;
      const offline = scale.peerClients - online;
      const ringLayout = idRingLayout(ring, RING_SIZE);
      const x = Array.from(ringLayout.x);
      const y = Array.from(ringLayout.y);
      const names = Array.from({ length: online }, (_, i) => `peer ${i + 1}`);
      const edges: number[] = [];
      for (let i = 0; online > 1 && i < online; i++) edges.push(i, (i + 1) % online);
      const offlineNode = offline > 0 ? names.length : -1;
      if (offline > 0) {
        // In the middle, or in a corner when the index takes the middle.
        x.push(index ? 0.06 : 0.5);
        y.push(index ? 0.06 : 0.5);
        names.push(`the ${counted(offline, 'peer')} not online`);
      }
      const indexNode = index ? names.length : -1;
      if (index) {
        x.push(0.5);
        y.push(0.5);
        names.push('the index');
      }
      peerRecorder = new TraceRecorder(
        [
          {
            title: `P2P: ${counted(online, 'online peer')} on a Chord ring${index ? ', a central index' : ''}`,
            x,
            y,
            edges,
            names,
            levels: true,
          },
        ],
        nodeLegend,
        MESSAGE_LEGEND,
        states.idle,
      );
      if (offlineNode >= 0) peerRecorder.setState(0, offlineNode, states.offline);
      if (indexNode >= 0) peerRecorder.setState(0, indexNode, states.index);
      const recorder = peerRecorder;
      peerTape = new QueueTape(recorder, {
        stations: online,
        workers: 1,
        places: peerPlaces,
        requests: peerRequests,
        step,
        steps,
        states,
        route: (_owner, counts) => {
          const requester = routing.requester >= 0 ? routing.requester : offlineNode;
          const recording = recorder.frames <= steps;
          const hop = (from: number, to: number): void => {
            counts.hops++;
            if (recording) recorder.message(0, from, to, MESSAGE_KIND.hop);
          };
          if (index) {
            hop(requester, indexNode);
            return requester;
          }
          let from = requester;
          if (routing.requester < 0) {
            hop(offlineNode, routing.start);
            from = routing.start;
          }
          const forwards = routing.hops - (routing.requester < 0 ? 1 : 0);
          for (let k = 0; k < forwards; k++) {
            const to = routing.pathNode(k);
            hop(from, to);
            from = to;
          }
          return requester;
        },
        describe: (tape, counts, start) => {
          const fullest = fullestStation(tape.inSystem);
          const load =
            fullest.busy === 0
              ? 'every peer idle'
              : `${count(fullest.busy)} of ${count(online)} peers busy, the fullest (peer ${fullest.station + 1}) holding ${count(fullest.present)} of ${count(peerPlaces)} places`;
          return start
            ? `P2P: ${count(online)} of the ${count(scale.peerClients)} peers are online and form the ring, each queue drawn from its steady state: ${load}.`
            : `P2P: ${arrivalsText(counts, true)}; ${load}.`;
        },
      });
      return peerTape;
    },
  });
  (peerTape as QueueTape | null)?.finish();

  // Both panels on one clock: keep the frames both recorded.
  const serverTrace = serverRecorder.finish('');
  let peerTrace: NetworkTrace;
  if (side && peerRecorder) {
    peerTrace = (peerRecorder as TraceRecorder).finish('');
  } else {
    // No peer online in this draw: the side has one node, the peers that do not serve, and nothing happens.
    const lonely = new TraceRecorder(
      [
        {
          title: 'P2P: no peer online',
          x: [0.5],
          y: [0.5],
          names: [`the ${counted(scale.peerClients, 'peer')}, none online`],
          levels: true,
        },
      ],
      nodeLegend,
      MESSAGE_LEGEND,
      states.offline >= 0 ? states.offline : states.idle,
    );
    for (let frame = 0; frame < serverTrace.times.length; frame++) {
      lonely.frame(
        serverTrace.times[frame] as number,
        `P2P: none of the ${count(scale.peerClients)} peers is online, so no request is served.`,
      );
    }
    peerTrace = lonely.finish('');
  }
  const frames = Math.min(serverTrace.times.length, peerTrace.times.length);
  const trace: NetworkTrace = {
    caption: caption(params, scale, side, frames),
    times: serverTrace.times.slice(0, frames),
    timeFormat: 'duration',
    nodeLegend,
    messageLegend: MESSAGE_LEGEND,
    panels: [truncatePanel(serverTrace, frames), truncatePanel(peerTrace, frames)],
    descriptions: serverTrace.descriptions.slice(0, frames).map((text, frame) => `${text} ${peerTrace.descriptions[frame] ?? ''}`),
  };
  return {
    trace,
    scale,
    server: { outcome: serverOutcome, tape: serverTape },
    peers: side && peerTape && ringIds ? { side, tape: peerTape, ring: ringIds } : null,
  };
}

/** The first `frames` frames of a one-panel trace's panel. */
function truncatePanel(trace: NetworkTrace, frames: number): NetworkTrace['panels'][number] {
  const panel = trace.panels[0]!;
  const kept = panel.messageStart[frames] as number;
  return {
    ...panel,
    states: panel.states.slice(0, frames * panel.nodes),
    levels: panel.levels.slice(0, frames * panel.nodes),
    messageStart: panel.messageStart.slice(0, frames + 1),
    messageFrom: panel.messageFrom.slice(0, kept),
    messageTo: panel.messageTo.slice(0, kept),
    messageKind: panel.messageKind.slice(0, kept),
  };
}

function caption(params: ServerLoadParams, scale: ViewScale, side: PeerSide | null, frames: number): string {
  const n = params.clients;
  const load = (n * params.requestRate) / (params.workers * params.serviceRate);
  const loadText = `${formatSig(load * 100)}% of its capacity`;
  const lambda = `λ = ${formatSig(params.requestRate)} requests/s`;
  const server =
    scale.serverClients < n
      ? `Client-server: ${formatCount(scale.serverClients)} of the ${formatCount(n)} clients, each sending ${lambda} as set. The server keeps its c = ${formatCount(params.workers)} workers and K = ${formatCount(params.queueCapacity)} waiting places, ` +
        `but each worker serves ${formatSig(scale.serverServiceRate)} requests/s (μ × ${formatCount(scale.serverClients)}/${formatCount(n)}), so it is offered the load of all ${formatCount(n)} clients (${loadText}): ` +
        `its queue, drops and busy workers are those of the lab at N = ${formatCount(n)} (the same M/M/c/(c+K) steady state), on a clock ${formatSig(n / scale.serverClients)} times slower.`
      : `Client-server: all ${plural(n, 'client')} at ${lambda} and the server as set (${loadText}).`;
  const online = side?.online ?? 0;
  const peerPart = scale.peerClients < n ? `${formatCount(scale.peerClients)} of the ${formatCount(n)} peers` : `all ${plural(n, 'peer')}`;
  const viewHops = formatSig(lookupHops(Math.max(1, online), 'chord', 1 - online / scale.peerClients), 2);
  const labHops = formatSig(lookupHops(Math.max(1, n * params.onlineShare), 'chord', 1 - params.onlineShare), 2);
  const lookup =
    params.lookup === 'index'
      ? 'each request first asks the central index (one hop; its queue is not simulated)'
      : scale.peerClients < n
        ? `a lookup takes fewer hops than in the lab (about ${viewHops} against ${labHops} at N = ${formatCount(n)})`
        : `a lookup takes about ${viewHops} hops`;
  const peers =
    online > 0
      ? `P2P: ${peerPart} at the same λ, the ${formatCount(online)} drawn online (p = ${formatSig(params.onlineShare)}) on their Chord ring with μ_p and K as set. A peer’s load λ/p does not depend on N, so each queue is loaded as in the lab, but ${lookup}.`
      : `P2P: ${peerPart} at the same λ, none of them online in this draw (p = ${formatSig(params.onlineShare)}), so nothing is served.`;
  return (
    `${server} ${peers} Frames every ${formatDuration(scale.step)} of simulated time (${formatCount(Math.max(0, frames - 1))} steps); ` +
    'the lookup hops are drawn in the step the request arrives, and their latency adds to its response, not to the queue. Bars: requests held out of c + K places.'
  );
}
