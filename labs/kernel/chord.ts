/**
 * The Chord ring (Stoica et al., "Chord: A Scalable Peer-to-peer Lookup Service for
 * Internet Applications", SIGCOMM 2001), shared by every lab that routes over a DHT:
 * lookup, security and server load all walk the same fingers.
 */
import type { Random } from './random';

/** Chord identifiers are 32-bit, so ids and keys fit a Uint32Array and ring arithmetic is `>>> 0`. */
export const ID_BITS = 32;
export const RING_SIZE = 2 ** ID_BITS;

/**
 * Sorts 32-bit ids in place, ascending, by two counting passes on 16 bits each (an LSD
 * radix sort): linear in N, a few times faster than a typed-array sort at a million ids.
 * Small arrays take the typed-array sort, which is then quicker. `scratch` must be at
 * least as long as `ids`.
 */
export function sortIds(ids: Uint32Array, scratch: Uint32Array = new Uint32Array(ids.length)): Uint32Array {
  const count = ids.length;
  if (count < 4096) return ids.sort();
  const low = new Int32Array(65537);
  const high = new Int32Array(65537);
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    const lowBucket = (id & 0xffff) + 1;
    const highBucket = (id >>> 16) + 1;
    low[lowBucket] = (low[lowBucket] as number) + 1;
    high[highBucket] = (high[highBucket] as number) + 1;
  }
  for (let b = 1; b < 65537; b++) {
    low[b] = (low[b] as number) + (low[b - 1] as number);
    high[b] = (high[b] as number) + (high[b - 1] as number);
  }
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    const lowBucket = id & 0xffff;
    const at = low[lowBucket] as number;
    low[lowBucket] = at + 1;
    scratch[at] = id;
  }
  for (let i = 0; i < count; i++) {
    const id = scratch[i] as number;
    const highBucket = id >>> 16;
    const at = high[highBucket] as number;
    high[highBucket] = at + 1;
    ids[at] = id;
  }
  return ids;
}

/**
 * N distinct random ids on the 2^32 ring, sorted. The sorted array is the whole ring:
 * a node is its index, its successor the next index, and every finger a binary search,
 * so a million-node ring costs one linear radix sort and no per-node objects.
 */
export function buildChordRing(peers: number, random: Random): Uint32Array {
  const ids = new Uint32Array(peers);
  const scratch = new Uint32Array(peers);
  let filled = 0;
  // Collisions are rare (about N²/2^33 expected) but would merge two nodes: redraw them.
  while (filled < peers) {
    for (let i = filled; i < peers; i++) ids[i] = Math.floor(random.next() * RING_SIZE);
    sortIds(ids, scratch);
    let unique = 1;
    for (let i = 1; i < peers; i++) {
      if (ids[i] !== ids[unique - 1]) ids[unique++] = ids[i] as number;
    }
    filled = unique;
  }
  return ids;
}

/** Index of the first node whose id is ≥ key, wrapping to 0: the node responsible for key. */
export function successorIndex(ids: Uint32Array, key: number): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ids[middle] as number) < key) low = middle + 1;
    else high = middle;
  }
  return low === ids.length ? 0 : low;
}

/** Finger j of a node: the successor of id + 2^j on the ring. */
export function fingerIndex(ids: Uint32Array, node: number, finger: number): number {
  return successorIndex(ids, ((ids[node] as number) + 2 ** finger) >>> 0);
}

/** How many different nodes a node's 32 fingers point at: its real routing state. */
export function distinctFingers(ids: Uint32Array, node: number): number {
  let count = 0;
  let previous = -1;
  // Fingers are non-decreasing in ring distance, so equal ones are adjacent.
  for (let finger = 0; finger < ID_BITS; finger++) {
    const target = fingerIndex(ids, node, finger);
    if (target !== previous && target !== node) count++;
    previous = target;
  }
  return count;
}

export interface ChordLookup {
  /**
   * Messages: one per forward. The lookup ends at the key's predecessor, which answers
   * with its successor's address, as the central index answers with a holder's address.
   */
  hops: number;
  /** Index of the node responsible for the key. */
  owner: number;
}

/** routeStep's answers when the lookup stops at `current`: it holds the key, or its successor does. */
export const HOLDS_KEY = -1;
export const SUCCESSOR_HOLDS_KEY = -2;

/**
 * One step of greedy Chord routing at `current` towards `key` (Stoica et al. 2001, fig. 5):
 * HOLDS_KEY, SUCCESSOR_HOLDS_KEY (the node answers with its successor's address), or the
 * index of its closest finger that precedes the key, where the lookup goes next. Every
 * lab that routes (counting hops or recording who handled them) walks with this.
 */
export function routeStep(ids: Uint32Array, current: number, key: number): number {
  const count = ids.length;
  const id = ids[current] as number;
  if (id === key || count === 1) return HOLDS_KEY;
  const distance = (key - id) >>> 0;
  const next = current + 1 === count ? 0 : current + 1;
  if (((ids[next] as number) - id) >>> 0 >= distance) return SUCCESSOR_HOLDS_KEY;
  // Scan from the largest finger that could still precede the key.
  for (let finger = 31 - Math.clz32(distance); finger >= 0; finger--) {
    const candidate = fingerIndex(ids, current, finger);
    const ahead = ((ids[candidate] as number) - id) >>> 0;
    if (ahead > 0 && ahead < distance) return candidate;
  }
  // Finger 0 is the successor, which precedes the key here, so a finger is always found.
  throw new Error('Chord routing found no finger');
}

/** The node after `node` on the ring. */
export function successorOf(ids: Uint32Array, node: number): number {
  return node + 1 === ids.length ? 0 : node + 1;
}

/**
 * Recursive Chord lookup with greedy finger routing: a node whose successor owns the
 * key answers; otherwise it forwards to its closest finger that precedes the key.
 * Fingers are computed on demand, only at nodes the lookup visits.
 */
export function chordLookup(ids: Uint32Array, start: number, key: number): ChordLookup {
  let current = start;
  let hops = 0;
  for (;;) {
    const step = routeStep(ids, current, key);
    if (step === HOLDS_KEY) return { hops, owner: current };
    if (step === SUCCESSOR_HOLDS_KEY) return { hops, owner: successorOf(ids, current) };
    current = step;
    hops++;
  }
}
