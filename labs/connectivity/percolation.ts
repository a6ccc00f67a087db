/**
 * Generic union-find and node-removal percolation (Newman and Ziff 2000). Removing
 * nodes one by one and recounting components would cost O(N (N + E)); adding them
 * back in reverse order and merging components costs O((N + E) α(N)) for every
 * removal fraction at once.
 */
import type { Graph } from './graph';

/** Disjoint sets with union by size and path halving. */
export class UnionFind {
  readonly parent: Int32Array;
  readonly size: Int32Array;

  constructor(count: number) {
    this.parent = new Int32Array(count);
    this.size = new Int32Array(count).fill(1);
    for (let i = 0; i < count; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    let node = x;
    while (parent[node] !== node) {
      const grand = parent[parent[node] as number] as number;
      parent[node] = grand;
      node = grand;
    }
    return node;
  }

  /** Merges the sets of a and b; returns the root of the merged set, or -1 if they were one already. */
  union(a: number, b: number): number {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return -1;
    if ((this.size[rootA] as number) < (this.size[rootB] as number)) [rootA, rootB] = [rootB, rootA];
    this.parent[rootB] = rootA;
    this.size[rootA] = (this.size[rootA] as number) + (this.size[rootB] as number);
    return rootA;
  }

  sizeOf(x: number): number {
    return this.size[this.find(x)] as number;
  }
}

export interface RemovalCurve {
  /** largest[k]: nodes in the largest component after the first k nodes of the order are removed. */
  largest: Int32Array;
  /** pairSum[k]: sum over components of s(s - 1), the ordered pairs of nodes that can still reach each other. */
  pairSum: Float64Array;
  /**
   * Only when asked for (`labelsAt`): labels[i][v] is the component of node v after the first
   * labelsAt[i] nodes of the order are removed (a root node's index), or -1 if v is removed.
   * Two nodes share a label exactly when they can still reach each other.
   */
  labels?: Int32Array[];
}

/**
 * Component statistics after removing the first k nodes of `order`, for every k from 0
 * to N, in one pass that adds the nodes back from last removed to first. With `labelsAt`
 * (removed counts), it also reports which component each node is in at those counts (for
 * the network view); without it the pass costs one null check per node more.
 */
export function removalCurve(graph: Graph, order: Int32Array, labelsAt?: ArrayLike<number>): RemovalCurve {
  const n = graph.nodes;
  if (order.length !== n) throw new RangeError(`order has ${order.length} nodes, graph has ${n}`);
  // snapshotOf[k]: which requested labelling is taken after k removals, -1 for none.
  let snapshotOf: Int32Array | null = null;
  const labels: Int32Array[] = [];
  if (labelsAt) {
    snapshotOf = new Int32Array(n + 1).fill(-1);
    for (let i = 0; i < labelsAt.length; i++) {
      const k = labelsAt[i] as number;
      if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`cannot label after ${k} of ${n} removals`);
      if ((snapshotOf[k] as number) < 0) snapshotOf[k] = i;
      // After all n removals nothing is present: every label is -1.
      labels.push(new Int32Array(n).fill(-1));
    }
  }
  // The union-find is inlined here because this loop is the whole cost of a run. One
  // array holds everything, so each link costs one memory access before the root search:
  // parent[x] = n while x is absent, -size when x is a root, else x's parent.
  const absent = n;
  const parent = new Int32Array(n).fill(absent);
  const largest = new Int32Array(n + 1);
  const pairSum = new Float64Array(n + 1);
  const { offsets, neighbors } = graph;
  let biggest = 0;
  let pairs = 0;
  for (let k = n - 1; k >= 0; k--) {
    const v = order[k] as number;
    parent[v] = -1;
    let rootV = v;
    if (biggest < 1) biggest = 1;
    const end = offsets[v + 1] as number;
    for (let e = offsets[v] as number; e < end; e++) {
      let rootU = neighbors[e] as number;
      let link = parent[rootU] as number;
      if (link === absent) continue;
      // Path halving: point every other node on the way at its grandparent.
      while (link >= 0) {
        const grand = parent[link] as number;
        if (grand >= 0) {
          parent[rootU] = grand;
          rootU = grand;
          link = parent[grand] as number;
        } else {
          rootU = link;
          link = grand;
        }
      }
      if (rootU === rootV) continue;
      const a = -(parent[rootV] as number);
      const b = -link;
      if (a >= b) {
        parent[rootU] = rootV;
      } else {
        parent[rootV] = rootU;
        rootV = rootU;
      }
      parent[rootV] = -(a + b);
      // s(s-1) of the merged set minus those of its parts.
      pairs += 2 * a * b;
      if (a + b > biggest) biggest = a + b;
    }
    largest[k] = biggest;
    pairSum[k] = pairs;
    if (snapshotOf !== null && (snapshotOf[k] as number) >= 0)
      labelComponents(parent, absent, labels[snapshotOf[k] as number] as Int32Array);
  }
  if (!labelsAt || snapshotOf === null) return { largest, pairSum };
  // A count asked for twice gets the same labelling twice.
  for (let i = 0; i < labelsAt.length; i++) {
    const first = snapshotOf[labelsAt[i] as number] as number;
    if (first !== i && first >= 0) labels[i] = (labels[first] as Int32Array).slice();
  }
  return { largest, pairSum, labels };
}

/**
 * Each present node's root in removalCurve's parent array, found without path halving so
 * that looking leaves the union-find exactly as it was (the observer changes nothing).
 */
function labelComponents(parent: Int32Array, absent: number, into: Int32Array): void {
  for (let v = 0; v < parent.length; v++) {
    if (parent[v] === absent) continue;
    let root = v;
    while ((parent[root] as number) >= 0) root = parent[root] as number;
    into[v] = root;
  }
}

/** The largest component and Σ s(s − 1) after some numbers of removals. */
export interface SampledCurve {
  /** The removal counts asked for, increasing. */
  removed: readonly number[];
  largest: Float64Array;
  pairSum: Float64Array;
}

/**
 * The same pass as removalCurve, reporting only after the removal counts `removed`
 * (increasing), and laid out for speed at a million nodes. The graph is first relabelled
 * by removal rank, keeping each link once, at the endpoint removed first, as the rank of
 * the other: when that endpoint is added back, the other is already present. The pass
 * then reads its nodes and their links in memory order and looks at no absent neighbour;
 * only the union-find's root searches jump about. Same components, same numbers.
 */
export function sampledRemovalCurve(graph: Graph, order: Int32Array, removed: readonly number[]): SampledCurve {
  const n = graph.nodes;
  if (order.length !== n) throw new RangeError(`order has ${order.length} nodes, graph has ${n}`);
  for (let i = 0; i < removed.length; i++) {
    const k = removed[i] as number;
    if (!Number.isInteger(k) || k < 0 || k > n || (i > 0 && k <= (removed[i - 1] as number))) {
      throw new RangeError(`removal counts must increase within 0..${n}, got ${k}`);
    }
  }
  const { offsets, neighbors } = graph;
  const { rank, start, later, parent } = scratchFor(n, neighbors.length >>> 1);
  for (let i = 0; i < n; i++) rank[order[i] as number] = i;
  // later[start[i] .. start[i + 1]): ranks of the neighbours of node order[i] removed after it.
  let filled = 0;
  for (let i = 0; i < n; i++) {
    start[i] = filled;
    const v = order[i] as number;
    const end = offsets[v + 1] as number;
    for (let e = offsets[v] as number; e < end; e++) {
      const r = rank[neighbors[e] as number] as number;
      // A self-loop (r = i) joins nothing; a link to an earlier-removed node is kept there.
      if (r > i) later[filled++] = r;
    }
  }
  start[n] = filled;
  // parent[r] = -size when r is a root, else r's parent; nodes of rank < k are absent and
  // never read (every link kept points to a node added before), so it needs no clearing.
  const largest = new Float64Array(removed.length);
  const pairSum = new Float64Array(removed.length);
  let next = removed.length - 1;
  // After all n removals nothing is left: largest and pairs stay 0.
  while (next >= 0 && removed[next] === n) next--;
  let biggest = 0;
  let pairs = 0;
  for (let k = n - 1; k >= 0 && next >= 0; k--) {
    parent[k] = -1;
    let rootV = k;
    if (biggest < 1) biggest = 1;
    const end = start[k + 1] as number;
    for (let e = start[k] as number; e < end; e++) {
      let rootU = later[e] as number;
      let link = parent[rootU] as number;
      // Path halving, as in removalCurve.
      while (link >= 0) {
        const grand = parent[link] as number;
        if (grand >= 0) {
          parent[rootU] = grand;
          rootU = grand;
          link = parent[grand] as number;
        } else {
          rootU = link;
          link = grand;
        }
      }
      if (rootU === rootV) continue;
      const a = -(parent[rootV] as number);
      const b = -link;
      if (a >= b) {
        parent[rootU] = rootV;
      } else {
        parent[rootV] = rootU;
        rootV = rootU;
      }
      parent[rootV] = -(a + b);
      pairs += 2 * a * b;
      if (a + b > biggest) biggest = a + b;
    }
    if (removed[next] === k) {
      largest[next] = biggest;
      pairSum[next] = pairs;
      next--;
    }
  }
  return { removed, largest, pairSum };
}

/**
 * Work arrays of sampledRemovalCurve, kept between calls: a run breaks up many networks of
 * the same size, and fresh arrays of tens of megabytes each cost page faults and zeroing.
 * Every entry the pass reads it has written first in the same call.
 */
let scratch: { rank: Int32Array; start: Int32Array; later: Int32Array; parent: Int32Array } | null = null;

function scratchFor(nodes: number, links: number): NonNullable<typeof scratch> {
  if (!scratch || scratch.rank.length < nodes || scratch.later.length < links) {
    const nodeRoom = Math.max(nodes, scratch?.rank.length ?? 0);
    const linkRoom = Math.max(links, scratch?.later.length ?? 0);
    scratch = {
      rank: new Int32Array(nodeRoom),
      start: new Int32Array(nodeRoom + 1),
      later: new Int32Array(linkRoom),
      parent: new Int32Array(nodeRoom),
    };
  }
  return scratch;
}
