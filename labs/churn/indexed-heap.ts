/**
 * A binary min-heap of timed entries on typed arrays, indexed by a fixed set of ids
 * (0 … capacity − 1): each id is in the heap at most once, and can be rescheduled or
 * removed in O(log n). The churn simulation gives each peer two ids, its next on/off
 * toggle and its repair timeout, so the heap never holds stale events, never grows,
 * and a run allocates nothing per event. Times are stored in heap order, so a sift
 * compares neighbouring memory.
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
