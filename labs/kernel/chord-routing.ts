/**
 * The nodes a Chord lookup passes through, for labs that must know who handled it
 * (the security lab marks some nodes malicious). It walks exactly the route of
 * `chordLookup` in chord.ts (greedy closest preceding finger, Stoica et al. 2001), and
 * records every node after the start: the forwards, then the key's owner.
 */
import { ID_BITS, RING_SIZE, fingerIndex } from './chord';
import type { Random } from './random';

/**
 * Routes from `start` towards `key` and writes into `path` every node the lookup
 * depends on after its start: each node it is forwarded to (the last one is the key's
 * predecessor, which answers with its successor's address) and then the owner, unless
 * the owner is already the last node written. Returns how many nodes were written.
 * `path` needs room for ID_BITS + 2 entries: each forward at least halves the distance.
 */
export function chordRoute(ids: Uint32Array, start: number, key: number, path: Int32Array): number {
  const count = ids.length;
  let current = start;
  let written = 0;
  for (;;) {
    const id = ids[current] as number;
    // The start owns the key itself: nobody else is involved.
    if (id === key || count === 1) return written;
    const distance = (key - id) >>> 0;
    const next = current + 1 === count ? 0 : current + 1;
    if ((((ids[next] as number) - id) >>> 0) >= distance) {
      // `current` is the key's predecessor; its successor owns the key.
      if (next !== start) path[written++] = next;
      return written;
    }
    let forwarded = false;
    for (let finger = 31 - Math.clz32(distance); finger >= 0; finger--) {
      const candidate = fingerIndex(ids, current, finger);
      const ahead = ((ids[candidate] as number) - id) >>> 0;
      if (ahead > 0 && ahead < distance) {
        current = candidate;
        path[written++] = current;
        forwarded = true;
        break;
      }
    }
    if (!forwarded) throw new Error('Chord routing found no finger');
  }
}

/** Room a path buffer for `chordRoute` needs. */
export const ROUTE_CAPACITY = ID_BITS + 2;

/**
 * N distinct random ids on the 2^32 ring, sorted, as `buildChordRing` in chord.ts gives,
 * but without a sort: the order statistics of N uniforms are the running sums of N + 1
 * exponential gaps divided by their total (Rényi's representation; Devroye, "Non-Uniform
 * Random Variate Generation", 1986, ch. V.3). A million-node ring then costs one pass
 * instead of a typed-array sort, which matters when a lab builds many large rings.
 * Rounding can make two ids equal (about N²/2^33 times); such an id moves up by one.
 */
export function buildSortedRing(peers: number, random: Random): Uint32Array {
  const gaps = new Float64Array(peers + 1);
  let total = 0;
  for (let i = 0; i <= peers; i++) {
    const gap = -Math.log(1 - random.next());
    gaps[i] = gap;
    total += gap;
  }
  const ids = new Uint32Array(peers);
  let cumulative = 0;
  let previous = -1;
  for (let i = 0; i < peers; i++) {
    cumulative += gaps[i] as number;
    // Leave room above for the ids still to come, and keep ids distinct.
    const id = Math.min(Math.max(Math.floor((cumulative / total) * RING_SIZE), previous + 1), RING_SIZE - (peers - i));
    ids[i] = id;
    previous = id;
  }
  return ids;
}
