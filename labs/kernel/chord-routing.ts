/**
 * The nodes a Chord lookup passes through, for labs that must know who handled it
 * (the security lab marks some nodes malicious). It walks exactly the route of
 * `chordLookup` in chord.ts (greedy closest preceding finger, Stoica et al. 2001), and
 * records every node after the start: the forwards, then the key's owner.
 */
import { HOLDS_KEY, ID_BITS, RING_SIZE, SUCCESSOR_HOLDS_KEY, routeStep, successorOf } from './chord';
import type { Random } from './random';

/**
 * Routes from `start` towards `key` and writes into `path` every node the lookup
 * depends on after its start: each node it is forwarded to (the last one is the key's
 * predecessor, which answers with its successor's address) and then the owner, unless
 * the owner is already the last node written. Returns how many nodes were written.
 * `path` needs room for ID_BITS + 2 entries: each forward at least halves the distance.
 */
export function chordRoute(ids: Uint32Array, start: number, key: number, path: Int32Array): number {
  let current = start;
  let written = 0;
  for (;;) {
    const step = routeStep(ids, current, key);
    // The start owns the key itself: nobody else is involved.
    if (step === HOLDS_KEY) return written;
    if (step === SUCCESSOR_HOLDS_KEY) {
      // `current` is the key's predecessor; its successor owns the key.
      const owner = successorOf(ids, current);
      if (owner !== start) path[written++] = owner;
      return written;
    }
    current = step;
    path[written++] = current;
  }
}

/** Room a path buffer for `chordRoute` needs. */
export const ROUTE_CAPACITY = ID_BITS + 2;

/**
 * N distinct random ids on the 2^32 ring, sorted, as `buildChordRing` in chord.ts gives,
 * but sorted in linear time: a counting sort on the top 16 bits puts every id in its
 * bucket (about N/65,536 ids each), and an insertion sort then only moves ids within a
 * bucket. A million-node ring costs a few tens of milliseconds instead of a typed-array
 * sort, which matters when a lab builds many large rings. Two equal draws (about N²/2^33
 * of them) would merge two nodes, so the later one moves up by one id.
 */
export function buildSortedRing(peers: number, random: Random): Uint32Array {
  const BUCKET_SHIFT = 16;
  const drawn = new Uint32Array(peers);
  const starts = new Int32Array((1 << (32 - BUCKET_SHIFT)) + 1);
  for (let i = 0; i < peers; i++) {
    const id = Math.floor(random.next() * RING_SIZE);
    drawn[i] = id;
    const bucket = (id >>> BUCKET_SHIFT) + 1;
    starts[bucket] = (starts[bucket] as number) + 1;
  }
  for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
  const ids = new Uint32Array(peers);
  for (let i = 0; i < peers; i++) {
    const id = drawn[i] as number;
    const bucket = id >>> BUCKET_SHIFT;
    ids[starts[bucket] as number] = id;
    starts[bucket] = (starts[bucket] as number) + 1;
  }
  for (let i = 1; i < peers; i++) {
    const id = ids[i] as number;
    let j = i - 1;
    while (j >= 0 && (ids[j] as number) > id) {
      ids[j + 1] = ids[j] as number;
      j--;
    }
    ids[j + 1] = id;
  }
  // Keep ids distinct, leaving room above for the ids still to come.
  let previous = -1;
  for (let i = 0; i < peers; i++) {
    const id = Math.min(Math.max(ids[i] as number, previous + 1), RING_SIZE - (peers - i));
    ids[i] = id;
    previous = id;
  }
  return ids;
}
