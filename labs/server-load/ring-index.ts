/**
 * A bucket index over a sorted Chord ring (kernel chord.ts), so that the successor of a
 * point costs O(1) instead of a binary search. The lab routes up to 200,000 lookups on
 * rings of up to a million peers for each of its sizes; every greedy step asks for a
 * finger or two, each a successor, and with a binary search over the whole ring those
 * searches were most of a run. Ids are uniform on the ring, so with about one bucket per
 * node each bucket holds about one id, and a successor is a table read and a short scan.
 *
 * The walk is the kernel's `routeStep` (Stoica et al., SIGCOMM 2001, fig. 5: forward to
 * the closest finger that precedes the key, finger j being the successor of id + 2^j),
 * step for step; the tests check it against `chordLookup` on every lookup they make.
 */
import { ID_BITS } from '../kernel/chord';

export class RingIndex {
  private readonly shift: number;
  /** first[b]: the index of the first node whose id's top bits are ≥ b (nodes.length if none). */
  private readonly first: Int32Array;
  /** Forwards of the last `route`. */
  hops = 0;

  constructor(readonly ids: Uint32Array) {
    const count = ids.length;
    // About one to two buckets per node, at most 2^24 (64 MB would be too many for a worker).
    const bits = Math.min(24, Math.max(1, Math.ceil(Math.log2(Math.max(2, count)))));
    this.shift = ID_BITS - bits;
    const buckets = 2 ** bits;
    const first = new Int32Array(buckets + 1);
    let node = 0;
    for (let bucket = 0; bucket <= buckets; bucket++) {
      while (node < count && (ids[node] as number) >>> this.shift < bucket) node++;
      first[bucket] = node;
    }
    this.first = first;
  }

  /** The index of the first node whose id is ≥ key, wrapping to 0: the node responsible for key (as the kernel's successorIndex). */
  successor(key: number): number {
    const ids = this.ids;
    const bucket = key >>> this.shift;
    let node = this.first[bucket] as number;
    const end = this.first[bucket + 1] as number;
    while (node < end && (ids[node] as number) < key) node++;
    // Past the bucket the next node's id is above the bucket, so above the key.
    return node === ids.length ? 0 : node;
  }

  /**
   * Greedy Chord routing from `start` to `key`, as the kernel's chordLookup walks it:
   * returns the owner's index and leaves the number of forwards in `hops`.
   */
  route(start: number, key: number): number {
    const ids = this.ids;
    const count = ids.length;
    let current = start;
    let forwards = 0;
    for (;;) {
      const id = ids[current] as number;
      if (id === key || count === 1) break;
      const distance = (key - id) >>> 0;
      const next = current + 1 === count ? 0 : current + 1;
      if (((ids[next] as number) - id) >>> 0 >= distance) {
        current = next;
        break;
      }
      // Scan from the largest finger that could still precede the key; finger 0 is the
      // successor, which precedes it here, so one is always found.
      let finger = 31 - Math.clz32(distance);
      for (; finger >= 0; finger--) {
        const candidate = this.successor((id + 2 ** finger) >>> 0);
        const ahead = ((ids[candidate] as number) - id) >>> 0;
        if (ahead > 0 && ahead < distance) {
          current = candidate;
          break;
        }
      }
      if (finger < 0) throw new Error('Chord routing found no finger');
      forwards++;
    }
    this.hops = forwards;
    return current;
  }
}
