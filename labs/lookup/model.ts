import { createRandom, type Random } from '../kernel/random';
import { logSpacedIntegers, RunningStats, sharePoint } from '../kernel/stats';
import { formatCount, formatPercent, formatSig, printedOrder } from '../kernel/format';
import { defineSweepLab, type LabModel, type LabResult, type Point, type RunContext } from '../kernel/model';
import { defaults } from '../kernel/manifest';
import { manifest } from './manifest';
import { RING_SIZE, buildChordRing, chordLookup, distinctFingers } from '../kernel/chord';
// network.ts uses this module's simulation at call time only, so the import cycle is harmless.
import { lookupView } from './network';
import { FastStream } from '../kernel/stream';

/* ------------------------------------------------------------------ closed forms */

// The ring itself lives in the kernel, shared with the security and server-load labs.
export { ID_BITS, buildChordRing, successorIndex, fingerIndex, distinctFingers, chordLookup, type ChordLookup } from '../kernel/chord';

/** Stoica et al.: a Chord lookup takes about (1/2) log2 N hops. */
export function chordHopsReference(peers: number): number {
  return 0.5 * Math.log2(peers);
}

/** Chord keeps about log2 N distinct fingers per node. */
export function chordStateReference(peers: number): number {
  return Math.log2(peers);
}

/**
 * Most messages a flood can send with the given TTL on an overlay of degree at most d:
 * the origin sends d, and each node first reached at hop h < TTL sends at most d − 1,
 * with at most d(d − 1)^(h − 1) such nodes, so the total is Σ_{h=1}^{TTL} d(d − 1)^(h − 1).
 */
export function floodMessageBound(degree: number, ttl: number): number {
  let total = 0;
  let layer = degree;
  for (let hop = 1; hop <= ttl; hop++) {
    total += layer;
    layer *= degree - 1;
  }
  return total;
}

/** Most peers a flood can reach, the origin included: 1 + the message bound (a tree has no duplicates). */
export function floodReachBound(degree: number, ttl: number): number {
  return 1 + floodMessageBound(degree, ttl);
}

/**
 * Probability that none of `copies` distinct peers, placed uniformly at random among
 * `peers`, is among the `reached` peers (hypergeometric, exact).
 */
export function missProbability(peers: number, reached: number, copies: number): number {
  const held = Math.min(copies, peers);
  let miss = 1;
  for (let i = 0; i < held; i++) {
    const outside = peers - reached - i;
    if (outside <= 0) return 0;
    miss *= outside / (peers - i);
  }
  return miss;
}

/** Upper bound on flood success: the flood reaches at most min(N, tree reach) peers. */
export function floodSuccessBound(peers: number, degree: number, ttl: number, copies: number): number {
  return 1 - missProbability(peers, Math.min(peers, floodReachBound(degree, ttl)), copies);
}

/** Queries per second arriving at a central index: every peer sends its lookups there. */
export function centralIndexLoad(peers: number, queryRate: number): number {
  return peers * queryRate;
}

/** The number of peers at which the index's load reaches its capacity. */
export function centralSaturationPeers(indexCapacity: number, queryRate: number): number {
  return indexCapacity / queryRate;
}

export interface ChordStats {
  meanHops: number;
  hopsStandardError: number;
  meanFingers: number;
  /** Hops per lookup, for the mean's confidence interval. */
  hops: RunningStats;
  /** Distinct fingers of the sampled nodes. */
  fingers: RunningStats;
}

/** Builds a ring of `peers` nodes and runs `lookups` lookups from random nodes for random keys. */
export function simulateChord(peers: number, lookups: number, random: Random, stateSample = 200): ChordStats {
  const ids = buildChordRing(peers, random);
  const hops = new RunningStats();
  for (let i = 0; i < lookups; i++) {
    const key = Math.floor(random.next() * RING_SIZE);
    hops.add(chordLookup(ids, random.int(peers), key).hops);
  }
  const fingers = new RunningStats();
  for (let i = 0; i < Math.min(stateSample, peers); i++) fingers.add(distinctFingers(ids, random.int(peers)));
  return { meanHops: hops.mean, hopsStandardError: hops.standardError, meanFingers: fingers.mean, hops, fingers };
}

/* ------------------------------------------------------------------ unstructured overlay */

/**
 * An undirected overlay with bounded degree, stored flat: the neighbours of node i are
 * neighbors[i * maxDegree .. i * maxDegree + degree[i]).
 */
export interface Overlay {
  nodes: number;
  maxDegree: number;
  degree: Int32Array;
  neighbors: Int32Array;
}

function addEdge(overlay: Overlay, u: number, v: number): boolean {
  if (u === v) return false;
  const { maxDegree, degree, neighbors } = overlay;
  const du = degree[u] as number;
  const dv = degree[v] as number;
  if (du >= maxDegree || dv >= maxDegree) return false;
  for (let k = 0; k < du; k++) if (neighbors[u * maxDegree + k] === v) return false;
  neighbors[u * maxDegree + du] = v;
  neighbors[v * maxDegree + dv] = u;
  degree[u] = du + 1;
  degree[v] = dv + 1;
  return true;
}

function emptyOverlay(nodes: number, maxDegree: number): Overlay {
  return { nodes, maxDegree, degree: new Int32Array(nodes), neighbors: new Int32Array(nodes * maxDegree) };
}

/** An overlay from an explicit edge list (for hand-checked graphs). */
export function overlayFromEdges(nodes: number, edges: ReadonlyArray<readonly [number, number]>): Overlay {
  const count = new Int32Array(nodes);
  for (const [u, v] of edges) {
    count[u] = (count[u] as number) + 1;
    count[v] = (count[v] as number) + 1;
  }
  const overlay = emptyOverlay(nodes, Math.max(1, ...count));
  for (const [u, v] of edges) addEdge(overlay, u, v);
  return overlay;
}

/**
 * A uniform random perfect matching of the stubs 0 .. count − 1 (the last one left over
 * when count is odd, and returned; −1 otherwise), handed pair by pair to `pair`. Beyond a few tens of thousands of
 * stubs it works in cache-sized buckets: every stub goes to one of up to 256 buckets
 * drawn uniformly at random, and each bucket is matched on its own, its last stub with a
 * uniformly random other one, again and again; an odd bucket first sets a uniformly random
 * stub aside for the next bucket. The procedure treats every stub alike, so every perfect matching is equally
 * likely, as with one shuffle of all the stubs; but every random read and swap stays
 * within a bucket of at most a few hundred kilobytes instead of jumping across tens of
 * megabytes, and it takes one draw per pair instead of one per stub.
 */
export function matchStubs(count: number, stream: FastStream, pair: (a: number, b: number) => void): number {
  const order = new Int32Array(count);
  const bits = count <= 1 << 15 ? 0 : Math.min(8, Math.ceil(Math.log2(count / (1 << 15))));
  const buckets = 1 << bits;
  const starts = new Int32Array(buckets + 1);
  if (bits === 0) {
    for (let i = 0; i < count; i++) order[i] = i;
    starts[1] = count;
  } else {
    const shift = 8 - bits;
    const label = new Uint8Array(count);
    // One 32-bit draw labels four stubs: each byte is uniform, its top bits pick the bucket.
    for (let s = 0; s < count; s += 4) {
      let word = stream.uint32();
      const end = Math.min(count, s + 4);
      for (let k = s; k < end; k++, word >>>= 8) {
        const bucket = (word & 0xff) >>> shift;
        label[k] = bucket;
        starts[bucket + 1] = (starts[bucket + 1] as number) + 1;
      }
    }
    for (let b = 1; b <= buckets; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
    const fill = starts.slice(0, buckets);
    for (let s = 0; s < count; s++) {
      const bucket = label[s] as number;
      order[fill[bucket] as number] = s;
      fill[bucket] = (fill[bucket] as number) + 1;
    }
  }
  // order[start .. end) holds the bucket's stubs, and order[start − 1] the odd one carried over.
  let carried = -1;
  for (let b = 0; b < buckets; b++) {
    let start = starts[b] as number;
    let end = starts[b + 1] as number;
    if (carried >= 0) {
      // Put the carried stub in the bucket's place just before it (a slot already matched).
      start--;
      order[start] = carried;
      carried = -1;
    }
    if ((end - start) % 2 === 1) {
      // An odd bucket: a uniformly random one of its stubs waits for the next bucket.
      const j = start + stream.int(end - start);
      carried = order[j] as number;
      order[j] = order[start] as number;
      start++;
    }
    while (end > start) {
      end--;
      const last = order[end] as number;
      const j = start + stream.int(end - start);
      const other = order[j] as number;
      end--;
      order[j] = order[end] as number;
      pair(last, other);
    }
  }
  return carried;
}

/**
 * Random d-regular overlay by the configuration model: every node gets d stubs, and the
 * stubs are paired by a uniform random matching. Self-loops and repeated pairs are
 * dropped, so a few nodes end with degree d − 1 or d − 2 and no node exceeds d (what the
 * bound needs). Stub s is slot s of the flat neighbour table (node ⌊s/d⌋'s slot s mod d),
 * so each pair writes its two ends in place; a pass over the rows then drops loops and
 * repeats, which keeps the graph symmetric since v appears in u's row as often as u in v's.
 */
export function randomRegularOverlay(nodes: number, degree: number, random: Random): Overlay {
  const stubs = nodes * degree;
  const overlay = emptyOverlay(nodes, degree);
  const { neighbors } = overlay;
  const unpaired = matchStubs(stubs, new FastStream(random), (a, b) => {
    neighbors[a] = (b / degree) | 0;
    neighbors[b] = (a / degree) | 0;
  });
  // An odd number of stubs leaves one unpaired.
  if (unpaired >= 0) neighbors[unpaired] = -1;
  for (let node = 0; node < nodes; node++) {
    const base = node * degree;
    let kept = 0;
    for (let k = 0; k < degree; k++) {
      const other = neighbors[base + k] as number;
      if (other === node || other < 0) continue;
      let repeated = false;
      for (let j = 0; j < kept; j++) {
        if (neighbors[base + j] === other) {
          repeated = true;
          break;
        }
      }
      if (!repeated) neighbors[base + kept++] = other;
    }
    overlay.degree[node] = kept;
  }
  return overlay;
}

export interface FloodOutcome {
  /** Messages sent with the given TTL, duplicates included. */
  messages: number;
  /** Peers holding the query with the given TTL, the origin included. */
  reached: number;
  /** Hops from the origin to the nearest copy (0 if the origin has it), or -1 if none was found. */
  nearestCopy: number;
  /** Messages a flood would send with TTL = nearestCopy (the smallest TTL that finds the item); NaN if not found. */
  messagesToFind: number;
}

/**
 * Sees a flood as it runs, for the network view; the charts' floods pass none and take
 * the counting path, which sends no message one by one.
 */
export interface FloodObserver {
  /** At hop `hop` (from 1), `from` sends the query to `to`; `fresh` when `to` receives it for the first time (else it is a dropped duplicate). */
  message(hop: number, from: number, to: number, fresh: boolean): void;
}

/** What places copies: the kernel's `Random` or the lab's `FastStream`. */
type Draws = Pick<Random, 'int'>;

/**
 * Flooding in the manner of Gnutella 0.4: the origin sends the query to all its
 * neighbours; a peer that receives it for the first time, with TTL left, passes it to all
 * its neighbours but the sender; duplicates are counted and dropped.
 *
 * Without an observer the flood is counted rather than played: the peers first reached at
 * hop h are the breadth-first layer h, and each sends one message per neighbour but its
 * sender (the origin: to every neighbour), so the messages of hop h + 1 are the layer's
 * degrees minus one each, known as soon as the layer is. Only the layers are explored,
 * on the flat neighbour table, top-down from a small layer or bottom-up (each unreached
 * peer looks for a neighbour in the layer) when the layer is a large part of the overlay;
 * a flood that has reached every peer stops, and a flood past its TTL looking for the
 * nearest copy asks only the copies whether a neighbour is in the layer. Who has the query
 * and who holds a copy are bitsets (a million peers in 128 KB each, cleared per flood),
 * so the random reads mostly hit the cache. With an observer, every message is sent one
 * by one, for the network view; both give the same outcome (tested).
 */
export class FloodSearch {
  /** Bit v: peer v has the query (the counted flood). */
  private readonly reachedBits: Uint32Array;
  private readonly queue: Int32Array;
  /** Bit v: peer v holds a copy of the item placed last. */
  private readonly copyBits: Uint32Array;
  /** The copies' peers, in the order placed; copyCount −1 when every peer holds one. */
  private copyList: Int32Array = new Int32Array(0);
  private copyCount = 0;
  /** Degrees again, in one byte each when they fit (a quarter of the cache the Int32Array takes). */
  private readonly degree: Uint8Array | Int32Array;
  private readonly totalDegree: number;
  /** For the observed flood only, allocated on first use. */
  private observed: { visited: Uint8Array; parent: Int32Array } | null = null;

  constructor(private readonly overlay: Overlay) {
    this.reachedBits = new Uint32Array((overlay.nodes + 31) >>> 5);
    this.queue = new Int32Array(overlay.nodes);
    this.copyBits = new Uint32Array((overlay.nodes + 31) >>> 5);
    this.degree = overlay.maxDegree <= 255 ? Uint8Array.from(overlay.degree) : overlay.degree;
    let total = 0;
    for (let i = 0; i < overlay.nodes; i++) total += overlay.degree[i] as number;
    this.totalDegree = total;
  }

  /** Takes the last item's copies away. */
  private clearCopies(): void {
    if (this.copyCount < 0) {
      this.copyBits.fill(0);
    } else {
      for (let c = 0; c < this.copyCount; c++) this.copyBits[(this.copyList[c] as number) >>> 5] = 0;
    }
    this.copyCount = 0;
  }

  private addCopy(node: number): boolean {
    const word = node >>> 5;
    const bit = 1 << (node & 31);
    const bits = this.copyBits[word] as number;
    if (bits & bit) return false;
    this.copyBits[word] = bits | bit;
    if (this.copyList.length <= this.copyCount) {
      const longer = new Int32Array(Math.max(16, 2 * this.copyList.length));
      longer.set(this.copyList);
      this.copyList = longer;
    }
    this.copyList[this.copyCount++] = node;
    return true;
  }

  /** Puts the item on `copies` distinct random peers (all of them if copies ≥ N). */
  placeCopies(copies: number, random: Draws): void {
    this.clearCopies();
    const nodes = this.overlay.nodes;
    if (copies >= nodes) {
      this.copyBits.fill(0xffffffff);
      this.copyCount = -1;
      return;
    }
    while (this.copyCount < copies) this.addCopy(random.int(nodes));
  }

  /** Places copies on exactly these peers (for hand-checked cases). */
  placeCopiesOn(nodes: ReadonlyArray<number>): void {
    this.clearCopies();
    for (const node of nodes) this.addCopy(node);
  }

  /** Whether `node` holds a copy of the item placed last. */
  holds(node: number): boolean {
    return (((this.copyBits[node >>> 5] as number) >>> (node & 31)) & 1) === 1;
  }

  /**
   * Floods from `origin` with the given TTL. With `searchBeyond`, keeps expanding hop by
   * hop past the TTL until a copy is found, to learn the TTL this query would have needed.
   * An `observer` is told every message as it is sent.
   */
  flood(origin: number, ttl: number, searchBeyond = false, observer?: FloodObserver): FloodOutcome {
    return observer ? this.floodObserved(origin, ttl, searchBeyond, observer) : this.floodCounted(origin, ttl, searchBeyond);
  }

  private floodCounted(origin: number, ttl: number, searchBeyond: boolean): FloodOutcome {
    const { nodes, maxDegree, neighbors } = this.overlay;
    const { reachedBits, copyBits, queue, copyList, degree } = this;
    reachedBits.fill(0);
    reachedBits[origin >>> 5] = 1 << (origin & 31);
    queue[0] = origin;
    let layerStart = 0;
    let tail = 1;
    let hop = 0;
    // Messages of hops 1..hop, and the messages the current layer sends at hop + 1.
    let messages = 0;
    let layerSends = degree[origin] as number;
    let reachedDegree = degree[origin] as number;
    let nearestCopy = this.holds(origin) ? 0 : -1;
    let messagesToFind = nearestCopy === 0 ? 0 : NaN;
    let messagesAtTtl = -1;
    let reachedAtTtl = -1;
    for (;;) {
      // Layers 0..hop are complete here.
      if (hop === ttl) {
        messagesAtTtl = messages;
        reachedAtTtl = tail;
      }
      if (hop >= ttl && (!searchBeyond || nearestCopy >= 0)) break;
      // Died out, or every peer has the query: later hops send only this layer's duplicates.
      if (layerStart === tail || tail === nodes) break;
      const unreached = nodes - tail;
      const unreachedDegree = this.totalDegree - reachedDegree;
      // Work of each way to find layer hop + 1, in neighbour-table reads: top-down reads the
      // layer's rows; bottom-up scans the reached bits (cheap, in order) and reads each
      // unreached row until a neighbour in the layer turns up, after about 1/q entries if a
      // fraction q of the free link ends are the layer's.
      const topDown = layerSends + (tail - layerStart);
      const q = layerSends / Math.max(1, layerSends + unreachedDegree);
      const perRow = unreached > 0 ? unreachedDegree / unreached : 0;
      const bottomUp = tail - layerStart + nodes / 32 + (q > 0 ? (unreached * (1 - Math.pow(1 - q, perRow))) / q : unreachedDegree);
      const searching = hop >= ttl;
      const checkCopies = searching && this.copyCount >= 0 && this.copyCount * maxDegree < Math.min(topDown, bottomUp);
      // An unreached peer cannot have a neighbour in an earlier layer (it would have been
      // reached from there), so its reached neighbours are exactly those in this layer.
      if (checkCopies) {
        // Past the TTL only the nearest copy matters: is one of them next to the layer?
        for (let c = 0; c < this.copyCount && nearestCopy < 0; c++) {
          const node = copyList[c] as number;
          if (((reachedBits[node >>> 5] as number) >>> (node & 31)) & 1) continue;
          const row = node * maxDegree;
          const end = row + (degree[node] as number);
          for (let k = row; k < end; k++) {
            const other = neighbors[k] as number;
            if (((reachedBits[other >>> 5] as number) >>> (other & 31)) & 1) {
              nearestCopy = hop + 1;
              messagesToFind = messages + layerSends;
              break;
            }
          }
        }
      }
      let newTail = tail;
      let nextSends = 0;
      let stop = nearestCopy > hop && searching;
      if (stop) {
        // Found by asking the copies: no need for the layer.
      } else if (topDown <= bottomUp) {
        for (let i = layerStart; i < tail && !stop; i++) {
          const node = queue[i] as number;
          const row = node * maxDegree;
          const end = row + (degree[node] as number);
          for (let k = row; k < end; k++) {
            const next = neighbors[k] as number;
            const word = next >>> 5;
            const bit = 1 << (next & 31);
            const bits = reachedBits[word] as number;
            if (bits & bit) continue;
            reachedBits[word] = bits | bit;
            queue[newTail++] = next;
            const nextDegree = degree[next] as number;
            nextSends += nextDegree - 1;
            reachedDegree += nextDegree;
            if (nearestCopy < 0 && ((copyBits[word] as number) & bit) !== 0) {
              nearestCopy = hop + 1;
              messagesToFind = messages + layerSends;
              // Past the TTL, the rest of this layer is not needed.
              if (searching) {
                stop = true;
                break;
              }
            }
          }
        }
      } else {
        // Bottom-up: every unreached peer looks for a reached neighbour (one in the layer).
        // Peers found now are marked reached only after the scan, so they do not count.
        const words = reachedBits.length;
        for (let word = 0; word < words && !stop; word++) {
          let free = ~(reachedBits[word] as number);
          if (word === words - 1 && (nodes & 31) !== 0) free &= (1 << (nodes & 31)) - 1;
          while (free !== 0) {
            const low = free & -free;
            free ^= low;
            const node = (word << 5) | (31 - Math.clz32(low));
            const row = node * maxDegree;
            const end = row + (degree[node] as number);
            for (let k = row; k < end; k++) {
              const other = neighbors[k] as number;
              if ((((reachedBits[other >>> 5] as number) >>> (other & 31)) & 1) === 0) continue;
              queue[newTail++] = node;
              const nodeDegree = degree[node] as number;
              nextSends += nodeDegree - 1;
              reachedDegree += nodeDegree;
              if (nearestCopy < 0 && (((copyBits[word] as number) >>> (node & 31)) & 1) !== 0) {
                nearestCopy = hop + 1;
                messagesToFind = messages + layerSends;
                if (searching) stop = true;
              }
              break;
            }
            if (stop) break;
          }
        }
        for (let i = tail; i < newTail; i++) {
          const node = queue[i] as number;
          reachedBits[node >>> 5] = (reachedBits[node >>> 5] as number) | (1 << (node & 31));
        }
      }
      if (stop) break;
      messages += layerSends;
      layerSends = nextSends;
      layerStart = tail;
      tail = newTail;
      hop++;
    }
    // Stopped before the TTL: the last layer's sends are the flood's last messages.
    if (messagesAtTtl < 0) {
      messagesAtTtl = messages + layerSends;
      reachedAtTtl = tail;
    }
    return { messages: messagesAtTtl, reached: reachedAtTtl, nearestCopy, messagesToFind };
  }

  /** The flood message by message, each told to the observer (the network view's small overlays). */
  private floodObserved(origin: number, ttl: number, searchBeyond: boolean, observer: FloodObserver): FloodOutcome {
    const { nodes, maxDegree, degree, neighbors } = this.overlay;
    const { queue } = this;
    this.observed ??= { visited: new Uint8Array(nodes), parent: new Int32Array(nodes) };
    const { visited, parent } = this.observed;
    visited.fill(0);
    visited[origin] = 1;
    parent[origin] = -1;
    queue[0] = origin;
    let head = 0;
    let tail = 1;
    let hop = 0;
    let messages = 0;
    let messagesAtTtl = 0;
    let reachedAtTtl = 1;
    let nearestCopy = this.holds(origin) ? 0 : -1;
    let messagesToFind = nearestCopy === 0 ? 0 : NaN;
    for (;;) {
      if (hop === ttl) {
        messagesAtTtl = messages;
        reachedAtTtl = tail;
      }
      const finished = hop >= ttl && (!searchBeyond || nearestCopy >= 0);
      if (finished || head === tail) break;
      // Forward every peer of this hop; peers found now belong to the next hop.
      const hopEnd = tail;
      for (; head < hopEnd; head++) {
        const node = queue[head] as number;
        const from = parent[node] as number;
        const row = node * maxDegree;
        const end = row + (degree[node] as number);
        for (let k = row; k < end; k++) {
          const next = neighbors[k] as number;
          if (next === from) continue;
          messages++;
          const fresh = visited[next] === 0;
          observer.message(hop + 1, node, next, fresh);
          if (!fresh) continue;
          visited[next] = 1;
          parent[next] = node;
          queue[tail++] = next;
          if (nearestCopy < 0 && this.holds(next)) nearestCopy = hop + 1;
        }
      }
      hop++;
      if (nearestCopy === hop) messagesToFind = messages;
    }
    // The flood died out before its TTL ran out: it sent and reached all it ever will.
    if (hop < ttl) {
      messagesAtTtl = messages;
      reachedAtTtl = tail;
    }
    return { messages: messagesAtTtl, reached: reachedAtTtl, nearestCopy, messagesToFind };
  }
}

export interface FloodStats {
  queries: number;
  /** Queries that found a copy within the TTL. */
  successes: number;
  /** Per query, for confidence intervals. */
  messages: RunningStats;
  reached: RunningStats;
  hopsWhenFound: RunningStats;
  messagesToFind: RunningStats;
  /** foundWithin[t] = queries whose nearest copy is at most t hops away. */
  foundWithin: number[];
  meanDegree: number;
  meanMessages: number;
  meanReached: number;
  success: number;
  /** Mean hops to the nearest copy, over queries that found it within the TTL. */
  meanHopsWhenFound: number;
  /** Mean messages with the smallest TTL that finds the item, per query. */
  meanMessagesToFind: number;
  /** successByTtl[t] = share of queries whose nearest copy is at most t hops away. */
  successByTtl: number[];
}

export interface FloodConfig {
  peers: number;
  degree: number;
  ttl: number;
  copies: number;
  queries: number;
  /** TTLs up to which successByTtl is reported. */
  maxTtl: number;
  /**
   * Keep flooding past the TTL until a copy is found (default true), for successByTtl
   * beyond the TTL and meanMessagesToFind; without it both only count finds within the TTL.
   */
  searchBeyond?: boolean;
}

/** Builds a random overlay and floods `queries` queries, each for an item with fresh random copies. */
export function simulateFlooding(config: FloodConfig, random: Random, progress?: (fraction: number) => void): FloodStats {
  const { peers, degree, ttl, copies, queries, maxTtl, searchBeyond = true } = config;
  const overlay = randomRegularOverlay(peers, degree, random);
  const search = new FloodSearch(overlay);
  // Copies and origins come from a fast stream of the same seed (up to a million draws per N).
  const draws = new FastStream(random);
  const messages = new RunningStats();
  const reached = new RunningStats();
  const hopsWhenFound = new RunningStats();
  const toFind = new RunningStats();
  const foundWithin = new Float64Array(maxTtl + 1);
  let successes = 0;
  for (let q = 0; q < queries; q++) {
    search.placeCopies(copies, draws);
    const outcome = search.flood(draws.int(peers), ttl, searchBeyond);
    messages.add(outcome.messages);
    reached.add(outcome.reached);
    if (outcome.nearestCopy >= 0) {
      toFind.add(outcome.messagesToFind);
      for (let t = outcome.nearestCopy; t <= maxTtl; t++) foundWithin[t] = (foundWithin[t] as number) + 1;
      if (outcome.nearestCopy <= ttl) {
        successes++;
        hopsWhenFound.add(outcome.nearestCopy);
      }
    }
    progress?.((q + 1) / queries);
  }
  let degreeSum = 0;
  for (let i = 0; i < peers; i++) degreeSum += overlay.degree[i] as number;
  return {
    queries,
    successes,
    messages,
    reached,
    hopsWhenFound,
    messagesToFind: toFind,
    foundWithin: Array.from(foundWithin),
    meanDegree: degreeSum / peers,
    meanMessages: messages.mean,
    meanReached: reached.mean,
    success: successes / queries,
    meanHopsWhenFound: hopsWhenFound.mean,
    meanMessagesToFind: toFind.mean,
    successByTtl: Array.from(foundWithin, (found) => found / queries),
  };
}

/**
 * The neighbour-table reads one counted flood takes on average (FloodSearch's own measure
 * of work), from the expected breadth-first layers of a random d-regular graph: each of a
 * layer's messages finds a new peer with the chance that its far end is unreached. Every
 * layer up to the TTL is explored, each at the cheaper of top-down and bottom-up as the
 * search chooses; past the TTL a layer is explored (or its copies checked) only while no
 * copy has been found, which gets less likely layer by layer. Within a factor of two of
 * the counts measured over N = 10^4..10^6, d = 3..16, TTL 3..10 and r = 1..1000; it sets
 * the number of floods and the tasks' weights.
 */
export function floodWork(peers: number, degree: number, ttl: number, copies: number): number {
  const held = Math.min(copies, peers);
  let reached = 1;
  let layer = 1;
  let sends = degree;
  let work = 0;
  // The chance that no copy is among the peers reached so far.
  let missed = 1 - held / peers;
  for (let hop = 0; hop < 4 * peers; hop++) {
    const searching = hop >= ttl;
    if ((searching && missed < 1e-3) || reached >= peers || layer < 1e-9) break;
    const unreached = peers - reached;
    const q = sends / (sends + unreached * degree);
    const explore = Math.min(sends + layer, layer + peers / 32 + (unreached * (1 - Math.pow(1 - q, degree))) / q);
    const found = Math.min(unreached, unreached * -Math.expm1(-sends / peers));
    const missNext = Math.pow(Math.max(0, 1 - found / unreached), held);
    if (!searching) {
      work += explore;
    } else if (held * degree < explore) {
      // Ask the copies first; explore the layer only if none is next to it.
      work += missed * (held * degree + missNext * explore);
    } else {
      // Explore until the first copy turns up: about half the layer if it is there.
      work += missed * explore * (1 - (1 - missNext) / 2);
    }
    missed *= missNext;
    reached += found;
    layer = found;
    sends = found * (degree - 1);
  }
  // Clearing the reached bits and placing the copies.
  return work + peers / 32 + copies;
}

/** Work budget of the floods at one N, in neighbour-table reads (a few tenths of a second of CPU). */
const FLOOD_WORK_BUDGET = 10e6;
/** Never fewer floods than this at one N (fewer if fewer lookups are asked for). */
const FLOOD_FLOOR = 50;

/**
 * Flood queries for one N: as many as the lookups asked for, but no more than a work
 * budget allows, since each query beyond the TTL explores about N/r peers; never fewer
 * than a floor of 50: floods that costly reach most of the overlay, so their outcome hardly varies.
 */
export function floodQueryCount(peers: number, degree: number, ttl: number, copies: number, lookups: number): number {
  const perQuery = floodWork(peers, degree, ttl, copies);
  return Math.max(Math.min(lookups, FLOOD_FLOOR), Math.min(lookups, Math.floor(FLOOD_WORK_BUDGET / perQuery)));
}

/* ------------------------------------------------------------------ the lab */

export type LookupParams = {
  peers: number;
  lookups: number;
  degree: number;
  ttl: number;
  copies: number;
  queryRate: number;
  indexCapacity: number;
};

const SMALLEST_N = 16;
const N_POINTS = 13;
/** Points of the dense formula curves against N (the simulated sizes are merged in). */
const DENSE_POINTS = 60;
/** The TTL axis of the success chart: the TTL parameter's maximum. */
const MAX_TTL = 10;

/** The numbers the verdict's flooding sentence is written from. */
export interface FloodVerdictNumbers {
  peers: number;
  ttl: number;
  success: number;
  meanReached: number;
  peersPerCopy: number;
  meanMessages: number;
  meanMessagesToFind: number;
  /** "grows 57× from N = ...", already worded. */
  growthText: string;
  /** False when no smaller size needed any message to find the item, so there is no growth to measure. */
  growthKnown: boolean;
}

/**
 * The verdict on flooding. Whether the flood reaches fewer or more peers than there are
 * peers per copy, and whether it finds the item often, are each decided on the numbers as
 * printed, so the words and the numbers never disagree.
 */
export function floodVerdict(numbers: FloodVerdictNumbers): string {
  const { peers, ttl, success, meanReached, peersPerCopy, meanMessages, meanMessagesToFind, growthText, growthKnown } = numbers;
  const reached = formatSig(meanReached);
  const perCopy = formatSig(peersPerCopy);
  const found = formatPercent(success);
  const order = printedOrder(reached, perCopy);
  const comparison = order < 0 ? 'fewer than' : order > 0 ? 'more than' : 'as many as';
  const reach = `a TTL-${ttl} flood reaches ${reached} peers, ${comparison} the N/r = ${perCopy} peers per copy`;
  if (printedOrder(found, '90%') < 0) {
    const finds =
      order < 0
        ? `so it finds the item in only ${found} of lookups`
        : `yet it finds the item in only ${found} of lookups, since the r copies are placed at random and all of them can lie outside the peers reached`;
    return (
      `“P2P is less scalable” holds for flooding: at N = ${formatCount(peers)} ${reach}, ${finds}; ` +
      `a flood large enough to find it sends ${formatSig(meanMessagesToFind)} messages, and that cost ${growthText}.`
    );
  }
  const still = `Flooding still finds the item at N = ${formatCount(peers)} (${found} of lookups, ${formatSig(meanMessages)} messages each) ${order >= 0 ? 'because' : 'although'} ${reach}`;
  if (!growthKnown) {
    return `${still}; whether “P2P is less scalable” holds for it cannot be told here, as the item is on every peer at the smaller sizes, so there is no growth in cost to measure.`;
  }
  return `${still}; but “P2P is less scalable” still holds for it, as the cost of a flood that finds the item ${growthText} unless the number of copies grows with N.`;
}

/** The verdict on the central index: above, at or within its capacity, as printed. */
export function centralVerdict(load: number, indexCapacity: number, saturation: number): string {
  const loadText = formatSig(load);
  const capacityText = formatCount(indexCapacity);
  const order = printedOrder(loadText, capacityText);
  if (order > 0) {
    return `The central index answers in one hop, but its one machine must handle N·λ = ${loadText} lookups/s, above its capacity of ${capacityText}, from N = ${formatCount(saturation)} on.`;
  }
  if (order === 0) {
    return `The central index answers in one hop, and its one machine handles N·λ = ${loadText} lookups/s, exactly its capacity of ${capacityText}: one more peer overloads it.`;
  }
  return `The central index answers in one hop, and N·λ = ${loadText} lookups/s is within its capacity of ${capacityText}; its load grows in proportion to N and reaches capacity at N = ${formatCount(saturation)}.`;
}

/* ------------------------------------------------------------------ the sweep */

/** Mean and spread of a sample, as plain numbers that cross between workers and merge. */
export interface Moments {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

function momentsOf(stats: RunningStats): Moments {
  return { count: stats.count, mean: stats.count > 0 ? stats.mean : 0, m2: stats.count > 1 ? stats.variance * (stats.count - 1) : 0 };
}

/** Chan et al.'s pairwise update: the moments of two samples taken together. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  const count = a.count + b.count;
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  const delta = b.mean - a.mean;
  return { count, mean: a.mean + (delta * b.count) / count, m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count };
}

const NO_SAMPLE: Moments = { count: 0, mean: 0, m2: 0 };

/** A mean as a point with its 95% normal interval (as samplesPoint), cut at 0 since it counts; null without samples. */
function momentsPoint(x: number, moments: Moments, scale = 1): Point | null {
  if (moments.count === 0) return null;
  const mean = moments.mean * scale;
  if (moments.count < 2) return [x, mean];
  const half = 1.96 * Math.sqrt(moments.m2 / (moments.count - 1) / moments.count) * scale;
  return [x, mean, Math.max(0, mean - half), mean + half];
}

/** One task: Chord at one N, or one share of the floods at one N on an overlay of its own. */
export type LookupTask =
  | { kind: 'chord'; point: number; peers: number; lookups: number; fingerSamples: number }
  | { kind: 'flood'; point: number; peers: number; queries: number; chunk: number; chunks: number };

export interface ChordPart {
  kind: 'chord';
  hops: Moments;
  fingers: Moments;
}

export interface FloodPart {
  kind: 'flood';
  queries: number;
  successes: number;
  messages: Moments;
  reached: Moments;
  hopsWhenFound: Moments;
  messagesToFind: Moments;
  /** foundWithin[t]: floods whose nearest copy is at most t hops away. */
  foundWithin: number[];
  /** Mean degree of this task's overlay (exact). */
  meanDegree: number;
}

export type LookupPart = ChordPart | FloodPart;

/** Chord lookups, in the same units as floodWork: a ring costs about a read per node, a lookup about (log2 N)² reads. */
function chordWork(peers: number, lookups: number, fingerSamples: number): number {
  const log = Math.log2(Math.max(2, peers));
  return 2 * peers + lookups * log * log + fingerSamples * 32 * log;
}

/** Building an overlay: a few reads and writes per link end. */
function overlayWork(peers: number, degree: number): number {
  return 6 * peers * degree;
}

/** Distinct fingers are counted at this many sampled nodes per N. */
const FINGER_SAMPLES = 200;
/** A flood task at one N is split into at most this many, each on an overlay of its own. */
const MAX_FLOOD_CHUNKS = 8;

/** The simulated sizes: 13 from 16 (or N, if smaller) to N on a log scale. */
function simulatedSizes(peers: number): number[] {
  return logSpacedIntegers(Math.min(SMALLEST_N, peers), peers, N_POINTS);
}

/**
 * The run's tasks: for each size, Chord (a ring and all its lookups, cheap) and the floods.
 * The floods at a size whose work is more than a third of the run's are split into
 * shares, each with its own overlay of that size, so the page's workers can share them;
 * every share is an independent draw of the same random overlay, so their floods pooled are
 * as valid a sample as floods on one overlay (and average over overlays too).
 */
export function planLookup(params: LookupParams): Array<{ task: LookupTask; weight: number }> {
  const { degree, ttl, copies, lookups } = params;
  const sizes = simulatedSizes(params.peers);
  const floods = sizes.map((peers) => {
    const queries = floodQueryCount(peers, degree, ttl, copies, lookups);
    return { peers, queries, build: overlayWork(peers, degree), each: floodWork(peers, degree, ttl, copies) };
  });
  const chords = sizes.map((peers) => chordWork(peers, lookups, Math.min(FINGER_SAMPLES, peers)));
  const total = (chunks: number[]): number =>
    chords.reduce((sum, work) => sum + work, 0) +
    floods.reduce((sum, f, i) => sum + (chunks[i] as number) * f.build + f.queries * f.each, 0);
  // Split the heaviest flood task while it is more than a third of the whole and a split
  // still shortens it by a tenth: each share builds an overlay of its own, so a task that
  // is almost all building is not worth splitting.
  const chunks = floods.map(() => 1);
  const shareWork = (i: number, count: number): number => floods[i]!.build + (floods[i]!.queries * floods[i]!.each) / count;
  for (let round = 0; round < 64; round++) {
    const whole = total(chunks);
    let heaviest = -1;
    floods.forEach((_f, i) => {
      if (heaviest < 0 || shareWork(i, chunks[i] as number) > shareWork(heaviest, chunks[heaviest] as number)) heaviest = i;
    });
    const count = chunks[heaviest] as number;
    const work = shareWork(heaviest, count);
    if (work <= whole / 3 || count >= Math.min(MAX_FLOOD_CHUNKS, floods[heaviest]!.queries)) break;
    if (shareWork(heaviest, count + 1) > 0.9 * work) break;
    chunks[heaviest] = count + 1;
  }
  const tasks: Array<{ task: LookupTask; weight: number }> = [];
  sizes.forEach((peers, point) => {
    const fingerSamples = Math.min(FINGER_SAMPLES, peers);
    tasks.push({ task: { kind: 'chord', point, peers, lookups, fingerSamples }, weight: chords[point] as number });
    const flood = floods[point]!;
    const count = chunks[point] as number;
    for (let chunk = 0; chunk < count; chunk++) {
      const queries = Math.floor(flood.queries / count) + (chunk < flood.queries % count ? 1 : 0);
      tasks.push({ task: { kind: 'flood', point, peers, queries, chunk, chunks: count }, weight: flood.build + queries * flood.each });
    }
  });
  return tasks;
}

export function runLookupTask(params: LookupParams, task: LookupTask, context: RunContext): LookupPart {
  const random = createRandom(context.seed);
  if (task.kind === 'chord') {
    const chord = simulateChord(task.peers, task.lookups, random, task.fingerSamples);
    return { kind: 'chord', hops: momentsOf(chord.hops), fingers: momentsOf(chord.fingers) };
  }
  const { degree, ttl, copies } = params;
  const flood = simulateFlooding(
    { peers: task.peers, degree, ttl, copies, queries: task.queries, maxTtl: MAX_TTL },
    random,
    context.progress,
  );
  return {
    kind: 'flood',
    queries: flood.queries,
    successes: flood.successes,
    messages: momentsOf(flood.messages),
    reached: momentsOf(flood.reached),
    hopsWhenFound: momentsOf(flood.hopsWhenFound),
    messagesToFind: momentsOf(flood.messagesToFind),
    foundWithin: flood.foundWithin,
    meanDegree: flood.meanDegree,
  };
}

/** The floods of one N, all shares pooled. */
interface PooledFlood {
  queries: number;
  successes: number;
  messages: Moments;
  reached: Moments;
  hopsWhenFound: Moments;
  messagesToFind: Moments;
  foundWithin: number[];
  meanDegree: number;
  success: number;
  meanMessages: number;
  meanReached: number;
  /** NaN when no flood found the item. */
  meanMessagesToFind: number;
}

function poolFloods(parts: FloodPart[]): PooledFlood {
  let queries = 0;
  let successes = 0;
  let messages = NO_SAMPLE;
  let reached = NO_SAMPLE;
  let hopsWhenFound = NO_SAMPLE;
  let messagesToFind = NO_SAMPLE;
  const foundWithin = new Array<number>(MAX_TTL + 1).fill(0);
  let degreeSum = 0;
  for (const part of parts) {
    queries += part.queries;
    successes += part.successes;
    messages = mergeMoments(messages, part.messages);
    reached = mergeMoments(reached, part.reached);
    hopsWhenFound = mergeMoments(hopsWhenFound, part.hopsWhenFound);
    messagesToFind = mergeMoments(messagesToFind, part.messagesToFind);
    part.foundWithin.forEach((found, t) => (foundWithin[t] = (foundWithin[t] as number) + found));
    degreeSum += part.meanDegree;
  }
  return {
    queries,
    successes,
    messages,
    reached,
    hopsWhenFound,
    messagesToFind,
    foundWithin,
    meanDegree: degreeSum / parts.length,
    success: successes / queries,
    meanMessages: messages.mean,
    meanReached: reached.mean,
    meanMessagesToFind: messagesToFind.count > 0 ? messagesToFind.mean : NaN,
  };
}

/** Builds the charts, key numbers and sentences from the tasks' results; sizes still running are left out. */
export function assembleLookup(params: LookupParams, results: ReadonlyArray<LookupPart | undefined>): LabResult {
  const { degree, ttl, copies, queryRate, indexCapacity } = params;
  const tasks = planLookup(params);
  const sizes = simulatedSizes(params.peers);
  const dense = [...new Set([...logSpacedIntegers(Math.min(SMALLEST_N, params.peers), params.peers, DENSE_POINTS), ...sizes])].sort(
    (a, b) => a - b,
  );
  const bound = floodMessageBound(degree, ttl);

  const series: Record<string, Point[]> = {
    chordHops: [],
    chordHopsRef: [],
    centralHops: [],
    floodHops: [],
    floodMessages: [],
    floodBound: [],
    floodToFind: [],
    chordMessages: [],
    centralMessages: [],
    floodSuccess: [],
    floodSuccessRef: [],
    alwaysFound: [],
    floodSuccessByTtl: [],
    floodSuccessByTtlRef: [],
    chordState: [],
    chordStateRef: [],
    centralState: [],
    floodState: [],
    centralLoad: [],
    indexCapacityLine: [],
    chordLoad: [],
    floodLoad: [],
  };
  const add = (key: string, point: Point | null): void => {
    if (point && point.every(Number.isFinite)) series[key]?.push(point);
  };

  // The formulas, on a dense grid that holds every simulated size.
  for (const n of dense) {
    add('chordHopsRef', [n, chordHopsReference(n)]);
    add('centralHops', [n, 1]);
    add('floodBound', [n, bound]);
    add('centralMessages', [n, 1]);
    add('floodSuccessRef', [n, floodSuccessBound(n, degree, ttl, copies) * 100]);
    add('alwaysFound', [n, 100]);
    add('chordStateRef', [n, chordStateReference(n)]);
    add('centralState', [n, n]);
    add('centralLoad', [n, centralIndexLoad(n, queryRate)]);
    add('indexCapacityLine', [n, indexCapacity]);
  }

  // Each size's parts, when all of them are in.
  const chordParts: Array<ChordPart | undefined> = sizes.map(() => undefined);
  const floodParts: FloodPart[][] = sizes.map(() => []);
  const floodMissing = sizes.map(() => false);
  tasks.forEach(({ task }, index) => {
    const part = results[index];
    if (task.kind === 'chord') {
      if (part?.kind === 'chord') chordParts[task.point] = part;
    } else if (part?.kind === 'flood') {
      (floodParts[task.point] as FloodPart[]).push(part);
    } else {
      floodMissing[task.point] = true;
    }
  });

  type SizeResult = { n: number; chord: ChordPart; flood: PooledFlood };
  const complete: SizeResult[] = [];
  sizes.forEach((n, point) => {
    const chord = chordParts[point];
    if (chord) {
      add('chordHops', momentsPoint(n, chord.hops));
      add('chordMessages', momentsPoint(n, chord.hops));
      add('chordState', momentsPoint(n, chord.fingers));
      // N peers make N·λ lookups/s, whose messages are spread over the same N peers.
      add('chordLoad', momentsPoint(n, chord.hops, queryRate));
    }
    if (floodMissing[point]) return;
    const flood = poolFloods(floodParts[point] as FloodPart[]);
    add('floodHops', momentsPoint(n, flood.hopsWhenFound));
    add('floodMessages', momentsPoint(n, flood.messages));
    add('floodToFind', momentsPoint(n, flood.messagesToFind));
    add('floodSuccess', sharePoint(n, flood.successes, flood.queries));
    add('floodState', [n, flood.meanDegree]);
    add('floodLoad', momentsPoint(n, flood.messages, queryRate));
    if (chord) complete.push({ n, chord, flood });
  });

  const last = complete[complete.length - 1];
  const largest = sizes[sizes.length - 1] as number;
  if (!last || last.n !== largest) {
    // Still running: the charts only; the sentences wait for the largest size.
    return { series, summary: '', verdict: '' };
  }
  for (let t = 1; t <= MAX_TTL; t++) {
    add('floodSuccessByTtl', sharePoint(t, last.flood.foundWithin[t] as number, last.flood.queries));
    add('floodSuccessByTtlRef', [t, floodSuccessBound(last.n, degree, t, copies) * 100]);
  }

  // Growth is measured from a size where the r copies are still rare (N ≥ 10r) and at
  // most two decades below N, so the smallest sizes, where copies cover most peers, do not
  // skew it; only sizes where finding the item took messages at all can be the base.
  const baseTarget = Math.max(last.n / 100, Math.min(10 * copies, last.n / 10));
  const candidates = complete.filter((r) => r.n < last.n && r.flood.meanMessagesToFind > 0);
  const base =
    candidates.length > 0
      ? candidates.reduce((best, r) => (Math.abs(Math.log(r.n / baseTarget)) < Math.abs(Math.log(best.n / baseTarget)) ? r : best))
      : last;

  const { n, chord, flood } = last;
  const chordHops = chord.hops.mean;
  const meanFingers = chord.fingers.mean;
  const saturation = centralSaturationPeers(indexCapacity, queryRate);
  const load = centralIndexLoad(n, queryRate);
  const growth = n / base.n;
  const toFindGrowth = flood.meanMessagesToFind / base.flood.meanMessagesToFind;
  const growthKnown = growth > 1 && Number.isFinite(toFindGrowth) && toFindGrowth > 0;
  const exponent = growthKnown ? Math.log(toFindGrowth) / Math.log(growth) : NaN;
  const growthFactor = formatSig(toFindGrowth);
  const growthText = growthKnown
    ? `${printedOrder(growthFactor, '1') > 0 ? 'grows' : 'changes'} ${growthFactor}× from N = ${formatCount(base.n)} to ${formatCount(n)} (${formatSig(growth)}× more peers, a growth like N^${formatSig(exponent, 2)})`
    : `cannot be measured here, as the item is on every peer at the smaller sizes`;
  const peersPerCopy = n / Math.min(copies, n);
  const baseHops = formatSig(base.chord.hops.mean);
  const lastHops = formatSig(chordHops);
  const hopsOrder = printedOrder(lastHops, baseHops);
  const chordGrowth =
    base === last
      ? `Chord's hops are ${lastHops}.`
      : hopsOrder > 0
        ? `Chord's hops grow from ${baseHops} to ${lastHops}.`
        : hopsOrder === 0
          ? `Chord's hops stay at ${lastHops}.`
          : `Chord's hops go from ${baseHops} to ${lastHops}.`;

  const summary =
    `At N = ${formatCount(n)} peers, a Chord lookup takes ${lastHops} hops on average ` +
    `((1/2) log2 N = ${formatSig(chordHopsReference(n))}) and each node keeps ${formatSig(meanFingers)} distinct fingers (log2 N = ${formatSig(chordStateReference(n))}); ` +
    `a flood with TTL ${ttl} on a degree-${degree} overlay sends ${formatSig(flood.meanMessages)} messages (bound ${formatSig(bound)}), ` +
    `reaches ${formatSig(flood.meanReached)} peers and finds an item held by ${Math.min(copies, n)} peers in ${formatPercent(flood.success)} of ${flood.queries} lookups; ` +
    `the central index answers in 1 hop but receives N·λ = ${formatSig(load)} lookups/s and keeps ${formatCount(n)} entries. ` +
    `The cost of a flood that finds the item ${growthText}. ${chordGrowth}`;

  const floodSentence = floodVerdict({
    peers: n,
    ttl,
    success: flood.success,
    meanReached: flood.meanReached,
    peersPerCopy,
    meanMessages: flood.meanMessages,
    meanMessagesToFind: flood.meanMessagesToFind,
    growthText,
    growthKnown,
  });
  const chordSentence =
    `The claim fails for a DHT: Chord finds every item in ${lastHops} hops with ${formatSig(meanFingers)} fingers per node at N = ${formatCount(n)}, ` +
    `both growing as log N` +
    (base === last ? '.' : ` (${baseHops} hops at N = ${formatCount(base.n)}).`);
  const centralSentence = centralVerdict(load, indexCapacity, saturation);
  const decides =
    `What decides is how items are found, not peer-to-peer as such: a flood pays for every peer it must reach, about N/r of them ` +
    `(so copies r against the reach set by TTL and degree d), a DHT pays log N, and the index pays N·λ on one machine. ` +
    `Stability as peers come and go is the churn lab's subject.`;

  return {
    series,
    summary,
    verdict: [floodSentence, chordSentence, centralSentence, decides].join(' '),
    outputs: {
      floodSuccess: (100 * flood.successes) / flood.queries,
      floodMessagesToFind: flood.meanMessagesToFind,
      floodCostGrowth: growthKnown ? toFindGrowth : NaN,
      chordHops,
      indexLoad: load,
      indexSaturation: saturation,
    },
  };
}

export const lookup: LabModel = defineSweepLab<LookupParams, LookupTask, LookupPart>({
  manifest,
  benchCases: [10_000, 100_000, 1_000_000].map((size) => ({ size, params: { ...defaults(manifest), peers: size } })),
  sweep: {
    plan: planLookup,
    runTask: runLookupTask,
    assemble: (params, results) => assembleLookup(params, results),
    network: (params, seed) => lookupView(params, seed).trace,
  },
});
