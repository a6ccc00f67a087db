/**
 * The lookup lab's network view: one lookup for one item in each design, on one clock of
 * hops. The flood is the lab's own `FloodSearch` on the lab's own random regular overlay,
 * told each message by an observer as it floods; the Chord lookup is the kernel's
 * `chordRoute` (the route `chordLookup` counts) on a ring built by `buildChordRing`; the
 * central index is a star whose one query, answer and fetch are played from a small draw
 * of holders, as the charts take its one hop from the design rather than a simulation.
 */
import { createRandom, type Random } from '../kernel/random';
import { deriveSeed } from '../kernel/stats';
import { formatCount, formatSig, plural } from '../kernel/format';
import { RING_SIZE, buildChordRing, chordLookup, fingerIndex } from '../kernel/chord';
import { ROUTE_CAPACITY, chordRoute } from '../kernel/chord-routing';
import { idRingLayout, starLayout, TraceRecorder, type LegendEntry, type NetworkTrace, type PanelLayout } from '../kernel/trace';
import { FastStream } from '../kernel/stream';
import { FloodSearch, randomRegularOverlay, type FloodObserver, type FloodOutcome, type LookupParams, type Overlay } from './model';

/** Peers round the central index. */
export const VIEW_INDEX_PEERS = 30;
/** Nodes of the flooding overlay and of the Chord ring: enough to see the flood's rings, few enough to tell nodes apart. */
export const VIEW_OVERLAY_NODES = 80;

/** Which panel is which. */
export const PANEL = { index: 0, flood: 1, chord: 2 } as const;

/** Node states, one legend for the three panels. */
export const STATE = { peer: 0, index: 1, asks: 2, reached: 3, holds: 4, found: 5 } as const;
const NODE_LEGEND: LegendEntry[] = [
  { label: 'peer', tone: 'idle' },
  { label: 'central index', tone: 'muted' },
  { label: 'peer that looks the item up', tone: 'accent' },
  { label: 'reached by the query (flood) or on its route (Chord)', tone: 'busy' },
  { label: 'holds the item (Chord: owns the key)', tone: 'done' },
  { label: 'holds the item and the lookup reached it', tone: 'server' },
];

export const MESSAGE = { query: 0, duplicate: 1, answer: 2, fetch: 3 } as const;
const MESSAGE_LEGEND: LegendEntry[] = [
  { label: 'query', tone: 'busy' },
  { label: 'duplicate query, dropped', tone: 'muted' },
  { label: 'answer: the holder’s address', tone: 'done' },
  { label: 'fetch of the item', tone: 'server' },
];

export interface ViewScale {
  /** Peers round the index. */
  indexPeers: number;
  /** Copies among them. */
  indexCopies: number;
  /** Nodes of the overlay and of the ring. */
  nodes: number;
  /** Copies on the overlay. */
  floodCopies: number;
}

/** r copies among N peers, kept at the same share among `size` peers: at least one, at most all. */
export function scaledCopies(copies: number, peers: number, size: number): number {
  return Math.min(size, Math.max(1, Math.round((copies * size) / peers)));
}

export function viewScale(params: LookupParams): ViewScale {
  const nodes = Math.min(params.peers, VIEW_OVERLAY_NODES);
  const indexPeers = Math.min(params.peers, VIEW_INDEX_PEERS);
  return {
    indexPeers,
    indexCopies: scaledCopies(params.copies, params.peers, indexPeers),
    nodes,
    floodCopies: scaledCopies(params.copies, params.peers, nodes),
  };
}

/* ---------- The three lookups, each run by the lab's code and kept as a tape ---------- */

interface Message {
  from: number;
  to: number;
  kind: number;
}

/** The index panel: node 0 is the index, peers are 1..n. */
export interface IndexRun {
  asker: number;
  holders: number[];
  /** The holder whose address the index answers with; -1 when the asker holds the item itself. */
  holder: number;
}

/** Every peer registers what it holds; the asker asks the index, which answers with one registered holder. */
function runIndex(peers: number, copies: number, random: Random): IndexRun {
  const holders: number[] = [];
  const holds = new Uint8Array(peers + 1);
  while (holders.length < copies) {
    const peer = 1 + random.int(peers);
    if (!holds[peer]) {
      holds[peer] = 1;
      holders.push(peer);
    }
  }
  const asker = 1 + random.int(peers);
  const holder = holds[asker] ? -1 : (holders[random.int(holders.length)] as number);
  return { asker, holders, holder };
}

/** The flood panel: the lab's overlay and flood, every message kept by hop. */
export interface FloodRun {
  overlay: Overlay;
  origin: number;
  holders: number[];
  outcome: FloodOutcome;
  /** messagesByHop[h - 1]: the messages of hop h. */
  messagesByHop: Message[][];
}

/**
 * Draws as `simulateFlooding` does for one query (the overlay, the copies, the origin, in
 * that order), so the same seed gives the same flood there; the observer only keeps it.
 */
export function runFlood(nodes: number, degree: number, ttl: number, copies: number, random: Random): FloodRun {
  const overlay = randomRegularOverlay(nodes, degree, random);
  const search = new FloodSearch(overlay);
  const draws = new FastStream(random);
  search.placeCopies(copies, draws);
  const origin = draws.int(nodes);
  const messagesByHop: Message[][] = [];
  const observer: FloodObserver = {
    message(hop, from, to, fresh) {
      while (messagesByHop.length < hop) messagesByHop.push([]);
      (messagesByHop[hop - 1] as Message[]).push({ from, to, kind: fresh ? MESSAGE.query : MESSAGE.duplicate });
    },
  };
  const outcome = search.flood(origin, ttl, false, observer);
  const holders: number[] = [];
  for (let node = 0; node < nodes; node++) if (search.holds(node)) holders.push(node);
  return { overlay, origin, holders, outcome, messagesByHop };
}

/** The Chord panel: one lookup on the lab's ring, node by node. */
export interface ChordRun {
  ids: Uint32Array;
  start: number;
  key: number;
  owner: number;
  /** Nodes the lookup is forwarded to, in order (chordLookup's hops). */
  forwards: number[];
  /** The finger each forward used: forwards[i] is finger fingers[i] of the node before it. */
  fingers: number[];
}

/** Draws as `simulateChord` does for its first lookup (the ring, the key, the start), so its hop count is that lookup's. */
export function runChord(nodes: number, random: Random): ChordRun {
  const ids = buildChordRing(nodes, random);
  const key = Math.floor(random.next() * RING_SIZE);
  const start = random.int(nodes);
  const path = new Int32Array(ROUTE_CAPACITY);
  const written = chordRoute(ids, start, key, path);
  const { hops, owner } = chordLookup(ids, start, key);
  const forwards = Array.from(path.subarray(0, hops));
  // The finger a forward used is the largest one pointing at the next node (chordRoute scans them from the top).
  const fingers: number[] = [];
  let current = start;
  for (const next of forwards) {
    let finger = 31;
    while (finger > 0 && fingerIndex(ids, current, finger) !== next) finger--;
    fingers.push(finger);
    current = next;
  }
  if (written > hops && path[hops] !== owner) throw new Error('Chord route and lookup disagree on the owner');
  return { ids, start, key, owner, forwards, fingers };
}

/* ---------- Layouts ---------- */

/**
 * The flood's overlay drawn in rings round the asker: ring k holds the nodes k hops away
 * (breadth-first distance, the rings the flood spreads through), each ring's nodes ordered
 * by the angle of the node that found them, so links mostly run outwards. Nodes the asker
 * cannot reach at all go on an outer ring.
 */
export function floodLayout(overlay: Overlay, origin: number): { x: Float32Array; y: Float32Array; distance: Int32Array } {
  const { nodes, maxDegree, degree, neighbors } = overlay;
  const distance = new Int32Array(nodes).fill(-1);
  const parent = new Int32Array(nodes).fill(-1);
  const order: number[] = [origin];
  distance[origin] = 0;
  for (let head = 0; head < order.length; head++) {
    const node = order[head] as number;
    for (let k = node * maxDegree; k < node * maxDegree + (degree[node] as number); k++) {
      const next = neighbors[k] as number;
      if (distance[next] !== -1) continue;
      distance[next] = (distance[node] as number) + 1;
      parent[next] = node;
      order.push(next);
    }
  }
  const farthest = Math.max(0, ...distance);
  const unreached: number[] = [];
  for (let node = 0; node < nodes; node++) {
    if (distance[node] === -1) {
      distance[node] = farthest + 1;
      unreached.push(node);
    }
  }
  const rings = farthest + (unreached.length > 0 ? 1 : 0);
  const angle = new Float64Array(nodes);
  const x = new Float32Array(nodes);
  const y = new Float32Array(nodes);
  x[origin] = 0.5;
  y[origin] = 0.5;
  for (let ring = 1; ring <= rings; ring++) {
    const members = ring > farthest ? unreached : order.filter((node) => distance[node] === ring);
    // Ring k follows its parents' angles; the offset keeps nodes of neighbouring rings off one ray.
    const keyed = members.map((node) => ({ node, key: parent[node] === -1 ? 0 : (angle[parent[node] as number] as number) }));
    keyed.sort((a, b) => a.key - b.key || a.node - b.node);
    const radius = (0.46 * ring) / Math.max(1, rings);
    keyed.forEach(({ node }, index) => {
      const theta = (2 * Math.PI * (index + 0.5 * (ring % 2))) / keyed.length - Math.PI / 2;
      angle[node] = theta + Math.PI / 2;
      x[node] = 0.5 + radius * Math.cos(theta);
      y[node] = 0.5 + radius * Math.sin(theta);
    });
  }
  return { x, y, distance };
}

function overlayEdges(overlay: Overlay): number[] {
  const edges: number[] = [];
  for (let node = 0; node < overlay.nodes; node++) {
    for (let k = 0; k < (overlay.degree[node] as number); k++) {
      const other = overlay.neighbors[node * overlay.maxDegree + k] as number;
      if (node < other) edges.push(node, other);
    }
  }
  return edges;
}

/* ---------- Words ---------- */

/** "1 copy among the 80 (the lab's 10 among 100,000 peers would be 0.008 here; at least 1 is kept)". */
function copiesText(copies: number, peers: number, size: number, scaled: number): string {
  const among = `${plural(scaled, 'copy', 'copies')} among the ${formatCount(size)}`;
  if (size === peers && scaled === Math.min(copies, peers)) return `${among}, as set`;
  const exact = (copies * size) / peers;
  const kept = exact < 0.5 ? '; at least 1 is kept' : exact > size ? '; every peer holds it' : '';
  return `${among} (the lab’s ${formatCount(copies)} among ${formatCount(peers)} peers, at the same share, would be ${formatSig(exact)} here${kept})`;
}

/** The caption: what was scaled down, from the numbers. */
export function viewCaption(params: LookupParams, scale: ViewScale): string {
  const { peers, degree, ttl, copies } = params;
  const peersText =
    scale.nodes === peers ? `all ${formatCount(peers)} peers` : `${formatCount(scale.nodes)} of the ${formatCount(peers)} peers`;
  return (
    `One lookup in each design: ${peersText} for flooding and for Chord, ${formatCount(scale.indexPeers)} round the central index. ` +
    `The item has ${copiesText(copies, peers, scale.nodes, scale.floodCopies)}, and ${plural(scale.indexCopies, 'copy', 'copies')} among the ${formatCount(scale.indexPeers)} round the index; ` +
    `degree ${degree} and TTL ${ttl} as set. The flood is drawn in rings of hops round the peer that asks.`
  );
}

/* ---------- The trace ---------- */

export interface LookupView {
  trace: NetworkTrace;
  index: IndexRun;
  flood: FloodRun;
  chord: ChordRun;
  /** The flood's running totals after each frame's hop (frame 0 = before it starts). */
  floodMessagesSoFar: number[];
  floodReachedSoFar: number[];
}

/**
 * Records one lookup per design from the lab's own code, on `deriveSeed(seed, 0xfeed)`,
 * so the charts' numbers do not change: each panel takes a seed of its own from it.
 */
export function lookupView(params: LookupParams, seed: number): LookupView {
  const scale = viewScale(params);
  const viewSeed = deriveSeed(seed, 0xfeed);
  const index = runIndex(scale.indexPeers, scale.indexCopies, createRandom(deriveSeed(viewSeed, PANEL.index)));
  const flood = runFlood(scale.nodes, params.degree, params.ttl, scale.floodCopies, createRandom(deriveSeed(viewSeed, PANEL.flood)));
  const chord = runChord(scale.nodes, createRandom(deriveSeed(viewSeed, PANEL.chord)));

  const star = starLayout(scale.indexPeers + 1);
  const rings = floodLayout(flood.overlay, flood.origin);
  const ring = idRingLayout(chord.ids, RING_SIZE);
  const successorEdges: number[] = [];
  for (let node = 0; node < scale.nodes; node++) successorEdges.push(node, (node + 1) % scale.nodes);
  const layouts: PanelLayout[] = [
    {
      title: 'Central index (client-server)',
      ...star,
      names: ['index', ...Array.from({ length: scale.indexPeers }, (_, i) => `peer ${i + 1}`)],
      edges: Array.from({ length: scale.indexPeers }, (_, i) => [0, i + 1]).flat(),
    },
    {
      title: `Flooding (degree ${params.degree}, TTL ${params.ttl})`,
      x: rings.x,
      y: rings.y,
      names: Array.from({ length: scale.nodes }, (_, i) => `node ${i}`),
      edges: overlayEdges(flood.overlay),
    },
    { title: 'Chord (a DHT)', ...ring, names: Array.from({ length: scale.nodes }, (_, i) => `node ${i}`), edges: successorEdges },
  ];
  const recorder = new TraceRecorder(layouts, NODE_LEGEND, MESSAGE_LEGEND, STATE.peer);

  // Frame 0: who asks, who holds the item.
  recorder.setState(PANEL.index, 0, STATE.index);
  for (const holder of index.holders) recorder.setState(PANEL.index, holder, STATE.holds);
  recorder.setState(PANEL.index, index.asker, STATE.asks);
  for (const holder of flood.holders) recorder.setState(PANEL.flood, holder, STATE.holds);
  recorder.setState(PANEL.flood, flood.origin, STATE.asks);
  recorder.setState(PANEL.chord, chord.owner, STATE.holds);
  recorder.setState(PANEL.chord, chord.start, STATE.asks);

  const indexSteps = index.holder < 0 ? 0 : 3;
  const chordHops = chord.forwards.length;
  // After the forwards, the last node reached answers with the owner's address (a message
  // unless that is the asker itself), and the asker fetches from the owner (unless it owns the key).
  const chordLast = chordHops > 0 ? (chord.forwards[chordHops - 1] as number) : chord.start;
  const chordAnswers = chordLast !== chord.start;
  const chordFetches = chord.owner !== chord.start;
  const chordSteps = chordHops + (chordAnswers ? 1 : 0) + (chordFetches ? 1 : 0);
  const floodHops = flood.messagesByHop.length;
  const frames = Math.max(indexSteps, floodHops, chordSteps, 1);

  const floodMessagesSoFar = [0];
  const floodReachedSoFar = [1];
  const nodes = scale.nodes;
  const nearest = flood.outcome.nearestCopy;

  const indexClause = (hop: number): string => {
    const asker = `peer ${index.asker}`;
    if (index.holder < 0) return `Index: ${asker} holds the item itself, so it asks no one.`;
    const holder = `peer ${index.holder}`;
    const holdersText = `${plural(index.holders.length, 'holder')}`;
    if (hop === 0) return `Index: ${asker} will ask the index, which knows the ${holdersText}.`;
    if (hop === 1) return `Index: ${asker} asks the index, 1 hop.`;
    if (hop === 2) return `Index: the index answers with the address of ${holder}.`;
    if (hop === 3) return `Index: ${asker} fetches the item from ${holder}; the lookup took 1 hop.`;
    return `Index: found in 1 hop.`;
  };

  const floodClause = (hop: number): string => {
    const messages = floodMessagesSoFar[Math.min(hop, floodHops)] as number;
    const reached = floodReachedSoFar[Math.min(hop, floodHops)] as number;
    const found =
      nearest === 0
        ? 'the asker holds a copy itself'
        : nearest >= 0 && nearest <= Math.min(hop, floodHops)
          ? `a copy found at hop ${nearest}`
          : hop >= floodHops
            ? `no copy found within TTL ${params.ttl}`
            : 'no copy yet';
    const reachedText = `${formatCount(reached)} of ${formatCount(nodes)} nodes reached`;
    if (hop === 0) {
      return `Flooding: node ${flood.origin} floods with TTL ${params.ttl}; ${flood.holders.length} of ${formatCount(nodes)} nodes ${flood.holders.length === 1 ? 'holds' : 'hold'} a copy.`;
    }
    if (hop <= floodHops) {
      const sent = flood.messagesByHop[hop - 1] as Message[];
      const duplicates = sent.filter((m) => m.kind === MESSAGE.duplicate).length;
      return (
        `Flooding: hop ${hop} sends ${plural(sent.length, 'message')}` +
        (duplicates > 0 ? ` (${plural(duplicates, 'duplicate')})` : '') +
        `, ${formatCount(messages)} so far; ${reachedText}; ${found}.`
      );
    }
    const over = floodHops < params.ttl ? 'died out before its TTL' : 'over';
    return `Flooding: ${over}, ${plural(messages, 'message')}; ${reachedText}; ${found}.`;
  };

  const chordClause = (hop: number): string => {
    const owner = `node ${chord.owner}`;
    const start = `node ${chord.start}`;
    const hopsText = `${plural(chordHops, 'hop')}`;
    if (chord.owner === chord.start) return `Chord: ${start} owns the key itself, so it asks no one.`;
    if (hop === 0) return `Chord: ${start} looks up a key; the key's owner is ${owner}.`;
    if (hop <= chordHops) {
      const from = hop === 1 ? chord.start : (chord.forwards[hop - 2] as number);
      const finger = chord.fingers[hop - 1] as number;
      return `Chord: node ${from} forwards to its finger ${finger} (2^${finger} ahead), ${plural(hop, 'hop')} so far; the key's owner is ${owner}.`;
    }
    const afterForwards = hop - chordHops;
    if (chordAnswers && afterForwards === 1) {
      const role = chordLast === chord.owner ? 'the owner itself' : "the key's predecessor";
      return `Chord: node ${chordLast}, ${role}, answers ${start} with the owner's address, ${owner}; the lookup took ${hopsText}.`;
    }
    if (afterForwards === (chordAnswers ? 2 : 1)) return `Chord: ${start} fetches the item from ${owner}; the lookup took ${hopsText}.`;
    return `Chord: found in ${hopsText}; the key's owner is ${owner}.`;
  };

  const describe = (hop: number): string => [indexClause(hop), floodClause(hop), chordClause(hop)].join(' ');
  recorder.frame(0, describe(0));

  let messagesSoFar = 0;
  let reachedSoFar = 1;
  for (let hop = 1; hop <= frames; hop++) {
    // Central index: query, answer, fetch.
    if (index.holder >= 0) {
      if (hop === 1) recorder.message(PANEL.index, index.asker, 0, MESSAGE.query);
      if (hop === 2) recorder.message(PANEL.index, 0, index.asker, MESSAGE.answer);
      if (hop === 3) {
        recorder.message(PANEL.index, index.asker, index.holder, MESSAGE.fetch);
        recorder.setState(PANEL.index, index.holder, STATE.found);
      }
    }
    // Flooding: the hop's messages as the flood sent them.
    if (hop <= floodHops) {
      for (const message of flood.messagesByHop[hop - 1] as Message[]) {
        recorder.message(PANEL.flood, message.from, message.to, message.kind);
        messagesSoFar++;
        if (message.kind === MESSAGE.query) {
          reachedSoFar++;
          recorder.setState(PANEL.flood, message.to, recorder.state(PANEL.flood, message.to) === STATE.holds ? STATE.found : STATE.reached);
        }
      }
      floodMessagesSoFar.push(messagesSoFar);
      floodReachedSoFar.push(reachedSoFar);
    }
    // Chord: one forward per hop, then the answer and the fetch.
    if (hop <= chordHops) {
      const from = hop === 1 ? chord.start : (chord.forwards[hop - 2] as number);
      const to = chord.forwards[hop - 1] as number;
      recorder.message(PANEL.chord, from, to, MESSAGE.query);
      recorder.setState(PANEL.chord, to, to === chord.owner ? STATE.found : STATE.reached);
    } else if (chordAnswers && hop === chordHops + 1) {
      recorder.message(PANEL.chord, chordLast, chord.start, MESSAGE.answer);
    } else if (chordFetches && hop === chordHops + (chordAnswers ? 2 : 1)) {
      recorder.message(PANEL.chord, chord.start, chord.owner, MESSAGE.fetch);
      recorder.setState(PANEL.chord, chord.owner, STATE.found);
    }
    recorder.frame(hop, describe(hop));
  }

  return {
    trace: recorder.finish(viewCaption(params, scale), 'step', 'hop'),
    index,
    flood,
    chord,
    floodMessagesSoFar,
    floodReachedSoFar,
  };
}
