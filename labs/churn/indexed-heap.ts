/**
 * A binary min-heap of timed entries on typed arrays, indexed by a fixed set of ids
 * (0 … capacity − 1): each id is in the heap at most once, and can be rescheduled or
 * removed in O(log n). The churn simulation keeps each offline holder's repair timeout
 * here (id = peer; a return cancels it), so the heap never holds stale events, never
 * grows, and a run allocates nothing per event; the peers' joins and leaves go to the
 * CalendarQueue below. Times are stored in heap order, so a sift compares neighbouring memory.
 */
export class IndexedTimeHeap {
  /** times[i] is the time of the entry at heap position i. */
  private readonly times: Float64Array;
  /** ids[i] is the id at heap position i. */
  private readonly ids: Int32Array;
  /** position[id] is the id's heap position, or −1 when it is not scheduled. */
  private readonly position: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return (this.position[id] as number) >= 0;
  }

  /** Schedules id at time, or moves it there if it is already scheduled. */
  set(id: number, time: number): void {
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    const at = this.position[id] as number;
    if (at < 0) {
      this.place(this.count++, id, time);
      this.siftUp(this.count - 1);
    } else {
      this.times[at] = time;
      this.siftUp(at);
      this.siftDown(this.position[id] as number);
    }
  }

  remove(id: number): void {
    const at = this.position[id] as number;
    if (at < 0) return;
    this.position[id] = -1;
    const lastIndex = --this.count;
    if (at === lastIndex) return;
    this.place(at, this.ids[lastIndex] as number, this.times[lastIndex] as number);
    this.siftUp(at);
    this.siftDown(this.position[this.ids[at] as number] as number);
  }

  /** Time of the earliest entry, or Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Id of the earliest entry, or −1 when empty. */
  top(): number {
    return this.count > 0 ? (this.ids[0] as number) : -1;
  }

  /** Removes the earliest entry and returns its id (read its time with peekTime first), or −1. */
  pop(): number {
    if (this.count === 0) return -1;
    const id = this.ids[0] as number;
    this.position[id] = -1;
    const lastIndex = --this.count;
    if (lastIndex > 0) {
      this.place(0, this.ids[lastIndex] as number, this.times[lastIndex] as number);
      this.siftDown(0);
    }
    return id;
  }

  /**
   * Moves the earliest entry to a later time: one sift down, where a pop and a push would
   * take two. The caller must not have put anything earlier than it in the heap meanwhile.
   */
  rescheduleTop(time: number): void {
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    this.times[0] = time;
    this.siftDown(0);
  }

  private place(index: number, id: number, time: number): void {
    this.ids[index] = id;
    this.times[index] = time;
    this.position[id] = index;
  }

  private siftUp(index: number): void {
    const { ids, times, position } = this;
    const id = ids[index] as number;
    const time = times[index] as number;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime <= time) break;
      const parentId = ids[parent] as number;
      ids[i] = parentId;
      times[i] = parentTime;
      position[parentId] = i;
      i = parent;
    }
    ids[i] = id;
    times[i] = time;
    position[id] = i;
  }

  private siftDown(index: number): void {
    const { ids, times, position } = this;
    const count = this.count;
    const id = ids[index] as number;
    const time = times[index] as number;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= count) break;
      let child = left;
      let childTime = times[left] as number;
      const right = left + 1;
      if (right < count) {
        const rightTime = times[right] as number;
        if (rightTime < childTime) {
          child = right;
          childTime = rightTime;
        }
      }
      if (childTime >= time) break;
      const childId = ids[child] as number;
      ids[i] = childId;
      times[i] = childTime;
      position[childId] = i;
      i = child;
    }
    ids[i] = id;
    times[i] = time;
    position[id] = i;
  }
}

/**
 * A 4-ary min-heap of (time, id) on typed arrays, for events that are only ever changed
 * when they are the earliest: each peer's next join or leave. Without removal by id it
 * needs no position index, so a sift writes two arrays instead of three; four children
 * per node halve the depth, and the four sit side by side in memory. Capacity is fixed.
 *
 * A time goes in through `incoming[0]` and comes out of `times[0]` rather than as an
 * argument or a return value: V8 boxes a double that crosses a call it does not inline,
 * and with millions of events those boxes were most of the run's garbage.
 */
export class TimeHeap {
  /** times[i] is the time of the entry at heap position i; times[0] is the earliest. */
  readonly times: Float64Array;
  private readonly ids: Int32Array;
  /** The time of the entry being added or rescheduled. */
  readonly incoming = new Float64Array(1);
  private count = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(Math.max(1, capacity));
    this.ids = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Adds id at incoming[0] at the end, without restoring heap order (push does). */
  append(id: number): void {
    const time = this.incoming[0] as number;
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    if (this.count >= this.ids.length) throw new RangeError('heap is full');
    this.ids[this.count] = id;
    this.times[this.count] = time;
    this.count++;
  }

  /** Adds id at incoming[0]. */
  push(id: number): void {
    this.append(id);
    const { ids, times } = this;
    const time = this.incoming[0] as number;
    let i = this.count - 1;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const parentTime = times[parent] as number;
      if (parentTime <= time) break;
      ids[i] = ids[parent] as number;
      times[i] = parentTime;
      i = parent;
    }
    ids[i] = id;
    times[i] = time;
  }

  /** Time of the earliest entry, or Infinity when empty (times[0] when not empty). */
  peekTime(): number {
    return this.count > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Id of the earliest entry, or −1 when empty. */
  top(): number {
    return this.count > 0 ? (this.ids[0] as number) : -1;
  }

  /** Removes the earliest entry and returns its id, or −1. */
  pop(): number {
    if (this.count === 0) return -1;
    const id = this.ids[0] as number;
    const last = --this.count;
    if (last > 0) {
      this.incoming[0] = this.times[last] as number;
      this.siftDown(0, this.ids[last] as number);
    }
    return id;
  }

  /** Moves the earliest entry to the later time incoming[0] (one sift down instead of a pop and a push). */
  rescheduleTop(): void {
    if (Number.isNaN(this.incoming[0] as number)) throw new RangeError('event time is NaN');
    this.siftDown(0, this.ids[0] as number);
  }

  /** Places (id, incoming[0]) at or below position `index`, moving smaller children up. */
  private siftDown(index: number, id: number): void {
    const { ids, times } = this;
    const time = this.incoming[0] as number;
    const count = this.count;
    let i = index;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= count) break;
      let child = first;
      let childTime = times[first] as number;
      const end = first + 4 < count ? first + 4 : count;
      for (let c = first + 1; c < end; c++) {
        const t = times[c] as number;
        if (t < childTime) {
          child = c;
          childTime = t;
        }
      }
      if (childTime >= time) break;
      ids[i] = ids[child] as number;
      times[i] = childTime;
      i = child;
    }
    ids[i] = id;
    times[i] = time;
  }
}

/** Entries per chunk of a calendar bucket. */
const CHUNK = 16;

/**
 * The peers' next joins and leaves in time order, for a run over [0, horizon): a calendar
 * of equal time buckets. Each id (a peer) has at most one pending time; a time goes in
 * through `incoming[0]` (a double passed as an argument would be boxed). An entry beyond
 * the current bucket is appended to its bucket, kept as a list of chunks of CHUNK (time,
 * id) pairs. When the current bucket is used up, the next one is sorted and read in order;
 * an entry that falls into the bucket being read goes to a small TimeHeap beside it, and
 * the earlier of the two comes first.
 *
 * A bucket is sorted by a counting sort on its times scaled to a fine grid (about two
 * cells per entry), then an insertion sort that puts entries sharing a cell in order: a
 * few operations per entry, and few branches the processor cannot predict, where a heap
 * of a bucket's few hundred entries cost a dozen coin-toss comparisons per entry.
 *
 * With 100,000 peers each event's record is a cache miss. Sorting reads a bucket's chunks
 * in order, and also each of its ids' records in the caller's `warm` array (`warmStride`
 * numbers per id): those reads do not depend on one another, so the processor fetches
 * the records of the whole bucket at once instead of one by one as each event comes up.
 *
 * Order is exact: bucket(t) = ⌊t / width⌋ never decreases as t grows, and the sorted
 * bucket and the heap hold only entries of buckets up to the current one, the buckets
 * only later ones.
 */
export class CalendarQueue {
  /** Entries that fell into the bucket being read after it was sorted. */
  readonly heap: TimeHeap;
  /** The time of the entry being pushed or rescheduled. */
  readonly incoming = new Float64Array(1);
  /** After ready() returned true: the earliest pending time. */
  readonly nextTime = new Float64Array(1);
  /** After ready() returned true: whether the earliest entry is the sorted bucket's (else the heap's). */
  private nextIsSorted = false;
  private readonly chunkTime: Float64Array;
  private readonly chunkId: Int32Array;
  private readonly chunkFill: Int32Array;
  /** The bucket's next chunk, or −1. */
  private readonly chunkNext: Int32Array;
  /** Chunks not in use, as a stack. */
  private readonly freeChunks: Int32Array;
  private freeCount: number;
  /** First and last chunk of each bucket, or −1. */
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly inverseWidth: number;
  private readonly lastBucket: number;
  private current = 0;
  private waiting = 0;
  /** The current bucket: gathered from its chunks, then sorted into sortedTime/sortedId, read from `cursor` on. */
  private stageTime: Float64Array;
  private stageId: Int32Array;
  private stageCell: Int32Array;
  private sortedTime: Float64Array;
  private sortedId: Int32Array;
  private cells = new Int32Array(2);
  private cursor = 0;
  private sortedEnd = 0;
  /** Records read while sorting, summed so that the reads are not optimized away. */
  readonly warmed = new Float64Array(1);

  constructor(
    capacity: number,
    horizon: number,
    buckets: number,
    private readonly warm: Float64Array = new Float64Array(capacity),
    private readonly warmStride = 1,
  ) {
    const count = Math.max(1, Math.floor(buckets));
    if (warm.length < capacity * warmStride) throw new RangeError('the records are too short for the queue');
    this.heap = new TimeHeap(capacity);
    // Full chunks hold at most `capacity` entries; each bucket has at most one chunk not full.
    const chunks = Math.ceil(capacity / CHUNK) + count + 1;
    this.chunkTime = new Float64Array(chunks * CHUNK);
    this.chunkId = new Int32Array(chunks * CHUNK);
    this.chunkFill = new Int32Array(chunks);
    this.chunkNext = new Int32Array(chunks);
    this.freeChunks = Int32Array.from({ length: chunks }, (_, i) => chunks - 1 - i);
    this.freeCount = chunks;
    this.head = new Int32Array(count).fill(-1);
    this.tail = new Int32Array(count).fill(-1);
    this.inverseWidth = count / horizon;
    this.lastBucket = count - 1;
    // Room for a few times a bucket's expected entries, grown when a bucket holds more.
    const size = Math.max(1, Math.min(capacity, 4 * Math.ceil(capacity / count) + 64));
    this.stageTime = new Float64Array(size);
    this.stageId = new Int32Array(size);
    this.stageCell = new Int32Array(size);
    this.sortedTime = new Float64Array(size);
    this.sortedId = new Int32Array(size);
  }

  get size(): number {
    return this.heap.size + (this.sortedEnd - this.cursor) + this.waiting;
  }

  /** Adds id at incoming[0]; id must not be pending already. Call ready() again before reading the earliest entry. */
  push(id: number): void {
    const time = this.incoming[0] as number;
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    const bucket = Math.floor(time * this.inverseWidth);
    if (bucket <= this.current) {
      this.heap.incoming[0] = time;
      this.heap.push(id);
      return;
    }
    this.pushLater(id, bucket);
  }

  /** Appends id, at incoming[0], to its bucket (later than the current one). */
  private pushLater(id: number, bucket: number): void {
    const time = this.incoming[0] as number;
    const b = bucket < this.lastBucket ? bucket : this.lastBucket;
    let chunk = this.tail[b] as number;
    if (chunk < 0 || this.chunkFill[chunk] === CHUNK) {
      const fresh = this.freeChunks[--this.freeCount] as number;
      this.chunkFill[fresh] = 0;
      this.chunkNext[fresh] = -1;
      if (chunk < 0) this.head[b] = fresh;
      else this.chunkNext[chunk] = fresh;
      this.tail[b] = fresh;
      chunk = fresh;
    }
    const fill = this.chunkFill[chunk] as number;
    this.chunkTime[chunk * CHUNK + fill] = time;
    this.chunkId[chunk * CHUNK + fill] = id;
    this.chunkFill[chunk] = fill + 1;
    this.waiting++;
  }

  /** Whether the earliest entry is the sorted bucket's (else the heap's); something must be pending in the current bucket. */
  private earliestIsSorted(): boolean {
    return (
      this.cursor < this.sortedEnd && (this.heap.size === 0 || (this.sortedTime[this.cursor] as number) <= (this.heap.times[0] as number))
    );
  }

  /** Whether anything is pending; when so, the earliest time is nextTime[0]. Call before top, pop or rescheduleTop. */
  ready(): boolean {
    for (;;) {
      if (this.cursor < this.sortedEnd || this.heap.size > 0) {
        const sorted = this.earliestIsSorted();
        this.nextIsSorted = sorted;
        this.nextTime[0] = sorted ? (this.sortedTime[this.cursor] as number) : (this.heap.times[0] as number);
        return true;
      }
      if (!this.sortNextBucket()) return false;
    }
  }

  /** Time of the earliest entry, or Infinity when empty. */
  peekTime(): number {
    return this.ready() ? (this.nextTime[0] as number) : Infinity;
  }

  /** Sorts the next non-empty bucket into the sorted list (which is used up, as is the heap); false when there is none. */
  private sortNextBucket(): boolean {
    const { chunkTime, chunkId, chunkFill, chunkNext, freeChunks, warm, warmStride } = this;
    while (this.waiting > 0 && this.current < this.lastBucket) {
      this.current++;
      let chunk = this.head[this.current] as number;
      this.head[this.current] = -1;
      this.tail[this.current] = -1;
      if (chunk < 0) continue;
      let entries = 0;
      for (let c = chunk; c >= 0; c = chunkNext[c] as number) entries += chunkFill[c] as number;
      if (entries > this.stageTime.length) this.growStage(entries);
      const { stageTime, stageId, stageCell, sortedTime, sortedId } = this;
      let n = 0;
      while (chunk >= 0) {
        const start = chunk * CHUNK;
        const end = start + (chunkFill[chunk] as number);
        for (let at = start; at < end; at++) {
          stageTime[n] = chunkTime[at] as number;
          stageId[n++] = chunkId[at] as number;
        }
        freeChunks[this.freeCount++] = chunk;
        chunk = chunkNext[chunk] as number;
      }
      this.waiting -= n;
      // The records, in a loop of their own: the fewer instructions between two reads, the
      // more of them the processor has in flight at once. Both ends of each record, as it
      // may straddle two cache lines.
      let warmed = 0;
      const last = warmStride - 1;
      for (let i = 0; i < n; i++) {
        const at = (stageId[i] as number) * warmStride;
        warmed += (warm[at] as number) + (warm[at + last] as number);
      }
      this.warmed[0] = (this.warmed[0] as number) + warmed;
      // Counting sort on a grid of about two cells per entry across the bucket (its times scaled
      // as push scaled them, so each lands in [0, 1) of the bucket, up to rounding, clamped)...
      let cellCount = 2;
      while (cellCount < 2 * n) cellCount *= 2;
      if (this.cells.length < cellCount + 1) this.cells = new Int32Array(cellCount + 1);
      const cells = this.cells;
      cells.fill(0, 0, cellCount + 1);
      const scale = this.inverseWidth;
      const origin = this.current;
      for (let i = 0; i < n; i++) {
        let cell = Math.floor(((stageTime[i] as number) * scale - origin) * cellCount);
        if (cell < 0) cell = 0;
        else if (cell >= cellCount) cell = cellCount - 1;
        stageCell[i] = cell;
        cells[cell + 1] = (cells[cell + 1] as number) + 1;
      }
      for (let c = 1; c <= cellCount; c++) cells[c] = (cells[c] as number) + (cells[c - 1] as number);
      for (let i = 0; i < n; i++) {
        const cell = stageCell[i] as number;
        const at = cells[cell] as number;
        cells[cell] = at + 1;
        sortedTime[at] = stageTime[i] as number;
        sortedId[at] = stageId[i] as number;
      }
      // ...then an insertion sort for the entries that share a cell (or were rounded into a neighbour).
      for (let i = 1; i < n; i++) {
        const time = sortedTime[i] as number;
        if (time >= (sortedTime[i - 1] as number)) continue;
        const id = sortedId[i] as number;
        let j = i - 1;
        while (j >= 0 && (sortedTime[j] as number) > time) {
          sortedTime[j + 1] = sortedTime[j] as number;
          sortedId[j + 1] = sortedId[j] as number;
          j--;
        }
        sortedTime[j + 1] = time;
        sortedId[j + 1] = id;
      }
      this.cursor = 0;
      this.sortedEnd = n;
      return true;
    }
    return false;
  }

  private growStage(entries: number): void {
    const size = Math.max(entries, 2 * this.stageTime.length);
    this.stageTime = new Float64Array(size);
    this.stageId = new Int32Array(size);
    this.stageCell = new Int32Array(size);
    this.sortedTime = new Float64Array(size);
    this.sortedId = new Int32Array(size);
  }

  top(): number {
    return this.nextIsSorted ? (this.sortedId[this.cursor] as number) : this.heap.top();
  }

  pop(): number {
    return this.nextIsSorted ? (this.sortedId[this.cursor++] as number) : this.heap.pop();
  }

  /** Moves the earliest entry to the later time incoming[0]. */
  rescheduleTop(): void {
    const time = this.incoming[0] as number;
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    const bucket = Math.floor(time * this.inverseWidth);
    if (bucket <= this.current) {
      this.heap.incoming[0] = time;
      if (this.nextIsSorted) this.heap.push(this.sortedId[this.cursor++] as number);
      else this.heap.rescheduleTop();
    } else {
      this.pushLater(this.pop(), bucket);
    }
  }
}
