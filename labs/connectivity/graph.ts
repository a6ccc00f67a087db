/**
 * Generic undirected graphs in compressed sparse row (CSR) form, their generators
 * and removal orders. Nothing here is specific to the connectivity lab: any lab that
 * needs an overlay (lookup, churn, security) can use it. Typed arrays throughout so
 * that a million nodes fit in a worker.
 */
import type { Random } from '../kernel/random';
import { UniformStream } from './stream';

/** Node v's neighbours are neighbors[offsets[v]] .. neighbors[offsets[v + 1] - 1]. */
export interface Graph {
  nodes: number;
  offsets: Int32Array;
  neighbors: Int32Array;
}

export function edgeCount(graph: Graph): number {
  return graph.neighbors.length / 2;
}

export function degreeOf(graph: Graph, node: number): number {
  return (graph.offsets[node + 1] as number) - (graph.offsets[node] as number);
}

export function meanDegree(graph: Graph): number {
  return graph.nodes > 0 ? graph.neighbors.length / graph.nodes : 0;
}

export function maxDegree(graph: Graph): number {
  const { offsets } = graph;
  let largest = 0;
  for (let v = 0; v < graph.nodes; v++) {
    const degree = (offsets[v + 1] as number) - (offsets[v] as number);
    if (degree > largest) largest = degree;
  }
  return largest;
}

/** An edge list that grows by doubling, so generators need not know E in advance. */
export class EdgeList {
  /** Edge e joins pairs[2e] and pairs[2e + 1]. */
  private pairs: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.pairs = new Int32Array(2 * Math.max(1, Math.ceil(capacity)));
  }

  add(a: number, b: number): void {
    if (2 * this.length === this.pairs.length) {
      const grown = new Int32Array(this.pairs.length * 2);
      grown.set(this.pairs);
      this.pairs = grown;
    }
    this.pairs[2 * this.length] = a;
    this.pairs[2 * this.length + 1] = b;
    this.length++;
  }

  toGraph(nodes: number): Graph {
    return graphFromPairs(nodes, this.pairs, this.length);
  }
}

/**
 * Builds the CSR graph of `edges` links given as a flat list of endpoint pairs
 * (link e joins pairs[2e] and pairs[2e + 1]) in O(N + E) with a counting pass;
 * each link appears in both nodes' lists.
 */
export function graphFromPairs(nodes: number, pairs: Int32Array, edges: number): Graph {
  const offsets = new Int32Array(nodes + 1);
  const ends = 2 * edges;
  for (let i = 0; i < ends; i++) {
    const a = pairs[i] as number;
    offsets[a + 1] = (offsets[a + 1] as number) + 1;
  }
  for (let v = 0; v < nodes; v++) offsets[v + 1] = (offsets[v + 1] as number) + (offsets[v] as number);
  const cursor = offsets.slice(0, nodes);
  const neighbors = new Int32Array(ends);
  for (let i = 0; i < ends; i += 2) {
    const a = pairs[i] as number;
    const b = pairs[i + 1] as number;
    neighbors[cursor[a] as number] = b;
    cursor[a] = (cursor[a] as number) + 1;
    neighbors[cursor[b] as number] = a;
    cursor[b] = (cursor[b] as number) + 1;
  }
  return { nodes, offsets, neighbors };
}

/** Client-server as a graph: node 0 is the server, linked to each of the N - 1 clients. */
export function starGraph(nodes: number): Graph {
  const edges = new EdgeList(Math.max(1, nodes - 1));
  for (let client = 1; client < nodes; client++) edges.add(0, client);
  return edges.toGraph(nodes);
}

function completeGraph(nodes: number): Graph {
  const edges = new EdgeList((nodes * (nodes - 1)) / 2);
  for (let a = 1; a < nodes; a++) for (let b = 0; b < a; b++) edges.add(a, b);
  return edges.toGraph(nodes);
}

/**
 * G(N, p) with p = meanDegree / (N - 1), exactly, in O(N + E): instead of a coin per
 * pair, jump over the geometric run of absent pairs (Batagelj and Brandes 2005).
 * Pairs are walked in the order (1,0), (2,0), (2,1), (3,0), ...
 */
export function erdosRenyiGraph(nodes: number, meanDegree: number, random: Random): Graph {
  const p = nodes > 1 ? Math.min(1, meanDegree / (nodes - 1)) : 0;
  if (p >= 1) return completeGraph(nodes);
  if (p <= 0) return graphFromPairs(nodes, new Int32Array(0), 0);
  const expected = (p * nodes * (nodes - 1)) / 2;
  // Room for E up to six standard deviations above its mean; grown by doubling beyond.
  let pairs = new Int32Array(2 * Math.ceil(expected + 6 * Math.sqrt(expected) + 16));
  let edges = 0;
  const stream = new UniformStream(random);
  const logMiss = Math.log(1 - p);
  let v = 1;
  let w = -1;
  while (v < nodes) {
    // 1 - next() lies in (0, 1], so the log is finite.
    w += 1 + Math.floor(Math.log(1 - stream.next()) / logMiss);
    while (w >= v && v < nodes) {
      w -= v;
      v++;
    }
    if (v < nodes) {
      if (2 * edges === pairs.length) {
        const grown = new Int32Array(2 * pairs.length);
        grown.set(pairs);
        pairs = grown;
      }
      pairs[2 * edges] = v;
      pairs[2 * edges + 1] = w;
      edges++;
    }
  }
  return graphFromPairs(nodes, pairs, edges);
}

/**
 * Barabási-Albert preferential attachment: start from a clique of m + 1 nodes, then each
 * new node links to m distinct earlier nodes chosen with probability proportional to
 * their degree. The links are kept as one flat list of endpoint pairs, in which a node of
 * degree k appears k times, so a uniform pick from that list is a degree-proportional
 * pick, in O(1); the same list then builds the CSR graph.
 */
export function preferentialAttachmentGraph(nodes: number, links: number, random: Random): Graph {
  const m = Math.max(1, Math.floor(links));
  if (nodes <= m + 1) return completeGraph(nodes);
  const seedEdges = ((m + 1) * m) / 2;
  const totalEdges = seedEdges + (nodes - m - 1) * m;
  const endpoints = new Int32Array(2 * totalEdges);
  const stream = new UniformStream(random);
  let filled = 0;
  for (let a = 1; a <= m; a++) {
    for (let b = 0; b < a; b++) {
      endpoints[filled++] = a;
      endpoints[filled++] = b;
    }
  }
  for (let v = m + 1; v < nodes; v++) {
    // Pick from the endpoints present before v arrived, so v never links to itself;
    // v's own picks are written as they are made and checked for repeats among them.
    const pool = filled;
    const first = filled;
    for (let j = 0; j < m; j++) {
      let target: number;
      let repeated: boolean;
      do {
        target = endpoints[stream.int(pool)] as number;
        repeated = false;
        for (let i = first + 1; i < filled; i += 2) if (endpoints[i] === target) repeated = true;
      } while (repeated);
      endpoints[filled++] = v;
      endpoints[filled++] = target;
    }
  }
  return graphFromPairs(nodes, endpoints, totalEdges);
}

/** A uniformly random permutation of 0..N-1 (Fisher-Yates on a typed array). */
export function randomOrder(nodes: number, random: Random): Int32Array {
  const order = new Int32Array(nodes);
  for (let i = 0; i < nodes; i++) order[i] = i;
  const stream = new UniformStream(random);
  for (let i = nodes - 1; i > 0; i--) {
    const j = stream.int(i + 1);
    const held = order[i] as number;
    order[i] = order[j] as number;
    order[j] = held;
  }
  return order;
}

/**
 * Highest initial degree first; nodes of equal degree in random order. A counting sort on
 * degree, then a Fisher-Yates shuffle within each run of equal degree, so O(N + max degree);
 * each shuffle stays within its run, which is kinder to the cache than shuffling all N.
 */
export function degreeOrder(graph: Graph, random: Random): Int32Array {
  const { offsets } = graph;
  const top = maxDegree(graph);
  // starts[s] = first slot of degree top - s, counting from the highest degree down.
  const starts = new Int32Array(top + 2);
  for (let v = 0; v < graph.nodes; v++) {
    const slot = top - ((offsets[v + 1] as number) - (offsets[v] as number)) + 1;
    starts[slot] = (starts[slot] as number) + 1;
  }
  for (let s = 1; s <= top + 1; s++) starts[s] = (starts[s] as number) + (starts[s - 1] as number);
  const runStarts = starts.slice();
  const order = new Int32Array(graph.nodes);
  for (let v = 0; v < graph.nodes; v++) {
    const slot = top - ((offsets[v + 1] as number) - (offsets[v] as number));
    order[starts[slot] as number] = v;
    starts[slot] = (starts[slot] as number) + 1;
  }
  const stream = new UniformStream(random);
  for (let s = 0; s <= top; s++) {
    const first = runStarts[s] as number;
    for (let i = (runStarts[s + 1] as number) - 1; i > first; i--) {
      const j = first + stream.int(i - first + 1);
      const held = order[i] as number;
      order[i] = order[j] as number;
      order[j] = held;
    }
  }
  return order;
}

/** Sizes of the connected components among the nodes marked present, by breadth-first search. */
export function componentSizes(graph: Graph, present: Uint8Array): number[] {
  const seen = new Uint8Array(graph.nodes);
  const queue = new Int32Array(graph.nodes);
  const sizes: number[] = [];
  for (let start = 0; start < graph.nodes; start++) {
    if (!present[start] || seen[start]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    while (head < tail) {
      const v = queue[head++] as number;
      for (let e = graph.offsets[v] as number; e < (graph.offsets[v + 1] as number); e++) {
        const u = graph.neighbors[e] as number;
        if (present[u] && !seen[u]) {
          seen[u] = 1;
          queue[tail++] = u;
        }
      }
    }
    sizes.push(tail);
  }
  return sizes;
}

/**
 * The configuration model (Molloy and Reed 1995): a random multigraph with exactly the
 * degree sequence of `template`, by pairing its link ends ("stubs") uniformly at random.
 * Self-loops and repeated links are kept, as the theory assumes; they are O(1/N) of the links.
 */
export function configurationModelGraph(template: Graph, random: Random): Graph {
  const stubs = Int32Array.from(template.neighbors.length === 0 ? [] : template.neighbors);
  // Every node v appears in the neighbour lists exactly degree(v) times, so the lists are the stubs.
  for (let i = stubs.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const held = stubs[i] as number;
    stubs[i] = stubs[j] as number;
    stubs[j] = held;
  }
  const edges = new EdgeList(Math.max(1, stubs.length / 2));
  for (let i = 0; i + 1 < stubs.length; i += 2) edges.add(stubs[i] as number, stubs[i + 1] as number);
  return edges.toGraph(template.nodes);
}
