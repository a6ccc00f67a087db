/**
 * The connectivity lab's network view: the network the reader chose, drawn at a small size,
 * losing its nodes in the lab's own removal order. Every frame's components come from the
 * lab's own percolation pass (`removalCurve`, asked for component labels at the frames'
 * removal counts), on a graph from the lab's own `buildGraph` and an order from its own
 * `removalOrder`, drawn with the seeds the run's task for one network would use. When an
 * overlay is chosen, a client-server star of the same size loses nodes beside it at the same
 * counts, as in the lab's charts that compare them.
 */
import { forceCenter, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';
import { createRandom, type Random } from '../kernel/random';
import { deriveSeed } from '../kernel/stats';
import { formatCount, formatPercent, formatSig, plural } from '../kernel/format';
import { starLayout, TraceRecorder, type LegendEntry, type NetworkTrace, type PanelLayout } from '../kernel/trace';
import { degreeOf, type Graph } from './graph';
import { removalCurve } from './percolation';
import { taskSeed } from '../kernel/model';
import {
  buildGraph,
  graphRandom,
  networkTaskIndex,
  orderRandom,
  removalOrder,
  sampledRemovals,
  type Attack,
  type ConnectivityParams,
  type Topology,
} from './model';

/** Nodes drawn: enough for hubs and islands to show, few enough to tell nodes apart. */
export const VIEW_NODES = 120;
/**
 * Force-layout iterations. d3 cools alpha from 1 to 0.001 in about 300 by default; the same
 * cooling over 100 (and a coarser Barnes–Hut θ) settles a graph of 120 nodes well enough to
 * draw at about a quarter of the cost, which keeps the view within its time budget.
 */
export const LAYOUT_TICKS = 100;

export const STATE = { largest: 0, piece: 1, removedNow: 2, removed: 3 } as const;
const NODE_LEGEND: LegendEntry[] = [
  { label: 'in the largest connected group', tone: 'done' },
  { label: 'in a smaller piece (or no group is largest alone)', tone: 'idle' },
  { label: 'removed at this step', tone: 'bad' },
  { label: 'removed earlier', tone: 'off' },
];

/** One network of the view with its removal order and its components at every frame. */
export interface ViewNetwork {
  topology: Topology;
  graph: Graph;
  order: Int32Array;
  /** labels[frame][node]: the node's component, -1 once removed (removalCurve's labels). */
  labels: Int32Array[];
  /** largest[frame]: nodes in the largest component, as removalCurve counts them. */
  largest: number[];
}

/** What one frame of one network shows, counted from its labels. */
export interface FrameCounts {
  removed: number;
  /** Size of the largest component (0 when all are removed). */
  largest: number;
  /** Components among the surviving nodes. */
  components: number;
  /** Components of the largest size: more than one means no group is largest alone. */
  largestTies: number;
  /** The label of the largest component when it is largest alone, else -1. */
  largestLabel: number;
}

export function frameCounts(labels: Int32Array): FrameCounts {
  const sizes = new Map<number, number>();
  let removed = 0;
  for (const label of labels) {
    if (label < 0) removed++;
    else sizes.set(label, (sizes.get(label) ?? 0) + 1);
  }
  let largest = 0;
  let largestTies = 0;
  let largestLabel = -1;
  for (const [label, size] of sizes) {
    if (size > largest) {
      largest = size;
      largestTies = 1;
      largestLabel = label;
    } else if (size === largest) {
      largestTies++;
    }
  }
  return { removed, largest, components: sizes.size, largestTies, largestLabel: largestTies === 1 ? largestLabel : -1 };
}

/** The view's size: the run's first network at VIEW_NODES nodes, on its own seed. */
export function viewNodes(params: Pick<ConnectivityParams, 'nodes'>): number {
  return Math.min(params.nodes, VIEW_NODES);
}

/** Removed counts of the frames: the lab's own sampled counts at the view's size (every 1% to 10%, then every 2.5%, to all). */
export function frameRemovals(nodes: number): number[] {
  return sampledRemovals(nodes);
}

/** Builds, orders and percolates one network as the run with seed `viewSeed` does its first network of this topology. */
export function viewNetwork(params: ConnectivityParams, topology: Topology, attack: Attack, viewSeed: number): ViewNetwork {
  const scaled = { ...params, nodes: viewNodes(params) };
  const networkSeed = taskSeed(viewSeed, networkTaskIndex(topology, 0));
  const graph = buildGraph(topology, scaled, graphRandom(networkSeed));
  const order = removalOrder(graph, attack, orderRandom(networkSeed, attack), topology);
  const removals = frameRemovals(graph.nodes);
  const curve = removalCurve(graph, order, removals);
  return { topology, graph, order, labels: curve.labels ?? [], largest: removals.map((k) => curve.largest[k] as number) };
}

/** Each link once, as index pairs (the CSR lists hold it twice). */
export function edgePairs(graph: Graph): Uint32Array {
  const pairs: number[] = [];
  for (let v = 0; v < graph.nodes; v++) {
    for (let e = graph.offsets[v] as number; e < (graph.offsets[v + 1] as number); e++) {
      const u = graph.neighbors[e] as number;
      if (u > v) pairs.push(v, u);
    }
  }
  return Uint32Array.from(pairs);
}

interface LayoutNode extends SimulationNodeDatum {
  index: number;
}

/**
 * Positions for drawing only: a force layout (linked nodes attract, all nodes repel, a weak
 * pull to the centre keeps islands in view), run for a fixed number of ticks with the view's
 * seeded random source, so the same seed gives the same picture. Scaled evenly into [0.05, 0.95]².
 */
export function forceLayout(graph: Graph, random: Random): { x: Float32Array; y: Float32Array } {
  const nodes: LayoutNode[] = Array.from({ length: graph.nodes }, (_, index) => ({ index }));
  const pairs = edgePairs(graph);
  const links = Array.from({ length: pairs.length / 2 }, (_, i) => ({
    source: pairs[2 * i] as number,
    target: pairs[2 * i + 1] as number,
  }));
  forceSimulation(nodes)
    .randomSource(() => random.next())
    .alphaDecay(1 - Math.pow(0.001, 1 / LAYOUT_TICKS))
    .force('link', forceLink(links).distance(30))
    .force('charge', forceManyBody().strength(-40).theta(1.5))
    .force('x', forceX(0).strength(0.06))
    .force('y', forceY(0).strength(0.06))
    .force('center', forceCenter(0, 0))
    .stop()
    .tick(LAYOUT_TICKS);
  return normalise(
    nodes.map((node) => node.x ?? 0),
    nodes.map((node) => node.y ?? 0),
  );
}

/** One scale for both axes (shapes keep their proportions), centred, into [0.05, 0.95]². */
function normalise(xs: number[], ys: number[]): { x: Float32Array; y: Float32Array } {
  const low = (values: number[]): number => values.reduce((a, b) => Math.min(a, b), Infinity);
  const high = (values: number[]): number => values.reduce((a, b) => Math.max(a, b), -Infinity);
  const [minX, maxX, minY, maxY] = [low(xs), high(xs), low(ys), high(ys)];
  const span = Math.max(maxX - minX, maxY - minY);
  const scale = span > 0 ? 0.9 / span : 0;
  const x = Float32Array.from(xs, (value) => 0.5 + (value - (minX + maxX) / 2) * scale);
  const y = Float32Array.from(ys, (value) => 0.5 + (value - (minY + maxY) / 2) * scale);
  return { x, y };
}

const PANEL_TITLES: Record<Topology, string> = {
  star: 'Client-server star',
  'erdos-renyi': 'P2P overlay, random links (Erdős–Rényi)',
  'scale-free': 'P2P overlay with hubs (scale-free)',
};

function layoutOf(network: ViewNetwork, random: Random): PanelLayout {
  const { graph, topology } = network;
  const position = topology === 'star' ? starLayout(graph.nodes) : forceLayout(graph, random);
  const names = Array.from({ length: graph.nodes }, (_, v) =>
    topology === 'star' ? (v === 0 ? 'server' : `client ${v}`) : `peer ${v} (${plural(degreeOf(graph, v), 'link')})`,
  );
  return { title: PANEL_TITLES[topology], x: position.x, y: position.y, names, edges: edgePairs(graph) };
}

/** "the largest component holds 71 nodes (59% of all); 6 smaller pieces", from one frame's counts. */
export function componentsPhrase(counts: FrameCounts, nodes: number): string {
  if (counts.components === 0) return 'no node is left';
  if (counts.largestTies > 1) {
    return `no group is largest alone: ${plural(counts.components, 'piece')} of at most ${plural(counts.largest, 'node')}`;
  }
  const smaller = counts.components - 1;
  const rest = smaller === 0 ? 'no smaller pieces' : plural(smaller, 'smaller piece');
  return `the largest component holds ${plural(counts.largest, 'node')} (${formatPercent(counts.largest / nodes, 0)} of all); ${rest}`;
}

const ORDER_WORDS: Record<Attack, string> = { random: 'in random order', targeted: 'the highest-degree first' };

/**
 * The network view for the reader's settings on `deriveSeed(seed, 0xfeed)`: the chosen network
 * at up to VIEW_NODES nodes (and, for an overlay, the star beside it), frames at the lab's
 * sampled removal counts.
 */
export function connectivityView(
  params: ConnectivityParams,
  topology: Topology,
  attack: Attack,
  seed: number,
): { trace: NetworkTrace; networks: ViewNetwork[] } {
  const viewSeed = deriveSeed(seed, 0xfeed);
  const shown: Topology[] = topology === 'star' ? ['star'] : ['star', topology];
  const networks = shown.map((each) => viewNetwork(params, each, attack, viewSeed));
  const layoutRandom = createRandom(deriveSeed(viewSeed, 0x1a7));
  const recorder = new TraceRecorder(
    networks.map((network) => layoutOf(network, layoutRandom)),
    NODE_LEGEND,
    [],
  );
  const nodes = viewNodes(params);
  const removals = frameRemovals(nodes);
  removals.forEach((removed, frame) => {
    const phrases = networks.map((network, panel) => {
      const labels = network.labels[frame] as Int32Array;
      const counts = frameCounts(labels);
      const before = frame > 0 ? (network.labels[frame - 1] as Int32Array) : null;
      for (let v = 0; v < nodes; v++) {
        const label = labels[v] as number;
        const state =
          label >= 0
            ? label === counts.largestLabel
              ? STATE.largest
              : STATE.piece
            : before === null || (before[v] as number) >= 0
              ? STATE.removedNow
              : STATE.removed;
        recorder.setState(panel, v, state);
      }
      const phrase = componentsPhrase(counts, nodes);
      // The star's one server is node 0 (starGraph): say when it is gone, as that is the whole story.
      return network.topology === 'star' && (labels[0] as number) < 0 ? `its server is gone, so ${phrase}` : phrase;
    });
    const each = networks.length > 1 ? ' in each network' : '';
    const removedWords = `${formatCount(removed)} of ${plural(nodes, 'node')} removed${each} (${formatPercent(removed / nodes, 0)})${removed > 0 ? `, ${ORDER_WORDS[attack]}` : ''}`;
    const description =
      networks.length === 1 ? `${removedWords}; ${phrases[0]}.` : `${removedWords}. Star: ${phrases[0]}. Overlay: ${phrases[1]}.`;
    recorder.frame(frame, description);
  });
  return { trace: recorder.finish(caption(params, topology, attack, nodes), 'step', 'removal step'), networks };
}

function caption(params: ConnectivityParams, topology: Topology, attack: Attack, nodes: number): string {
  const scale =
    nodes < params.nodes ? `${formatCount(nodes)} of the ${formatCount(params.nodes)} nodes` : `All ${formatCount(nodes)} nodes`;
  const network =
    topology === 'star'
      ? 'a client-server star'
      : topology === 'erdos-renyi'
        ? `a random overlay with mean degree ${formatSig(params.meanDegree)} as set, beside a client-server star of the same size`
        : `a scale-free overlay with m = ${params.links} as set, beside a client-server star of the same size`;
  const removal = attack === 'random' ? 'removed in random order' : 'removed highest degree first';
  return (
    `${scale}, as ${network}, ${removal}; one drawn network, not the average of the charts. ` +
    `Each step removes nodes up to the charts' next sampled share (every 1% to 10%, then every 2.5%). ` +
    `The layout is for drawing only: where a node sits means nothing, only its links do.`
  );
}
